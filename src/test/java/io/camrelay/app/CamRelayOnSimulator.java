package io.camrelay.app;

import io.camrelay.simulator.RecorderBehaviour;
import io.camrelay.simulator.XProtectSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * CamRelay as the application's integration tests start it: the simulator as its XProtect, the streams of one file
 * (read again every second) and no plugin items, the status server on a given port.
 */
final class CamRelayOnSimulator {

    /**
     * A no-data timeout shorter than the default 10 s, for tests that wait one out: still longer than the simulator's
     * keepalive interval, whose livepackages (a camera away, say) must not be mistaken for silence.
     */
    static final Duration SHORT_NO_DATA_TIMEOUT = RecorderBehaviour.DEFAULT_LIVE_PACKAGE_INTERVAL.plusSeconds(2);
    /** {@link #SHORT_NO_DATA_TIMEOUT} as a setting. */
    static final Map<String, String> WITH_SHORT_NO_DATA_TIMEOUT = Map.of("camel.component.xprotect.no-data-timeout",
            SHORT_NO_DATA_TIMEOUT.toSeconds() + "s");

    private CamRelayOnSimulator() {
    }

    /** Starts CamRelay; each of {@code settings} goes over these, the ones before it and CamRelay's defaults. */
    @SafeVarargs
    static Main start(XProtectSimulator simulator, Path streamsFile, int statusPort, Map<String, String>... settings) {
        return start(CamRelayMain.create(), simulator, streamsFile, statusPort, settings);
    }

    /** {@link #start(XProtectSimulator, Path, int, Map[])} on the caller's {@code main} (own config or wiring). */
    @SafeVarargs
    static Main start(Main main, XProtectSimulator simulator, Path streamsFile, int statusPort,
                      Map<String, String>... settings) {
        main.addOverrideProperty("camrelay.xprotect.url", simulator.baseUrl());
        main.addOverrideProperty("camrelay.xprotect.username", simulator.username());
        main.addOverrideProperty("camrelay.xprotect.password", simulator.password());
        main.addOverrideProperty("camrelay.streams.file", streamsFile.toString());
        main.addOverrideProperty("camrelay.streams.from-xprotect", "false");
        main.addOverrideProperty("camrelay.streams.poll-interval", "1s");
        main.addOverrideProperty("camrelay.status.port", Integer.toString(statusPort));
        for (Map<String, String> more : settings) {
            more.forEach(main::addOverrideProperty);
        }
        main.start();
        return main;
    }
}
