package io.camrelay.app;

import io.camrelay.simulator.XProtectSimulator;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * CamRelay as the application's integration tests start it: the simulator as its XProtect, the streams of one file
 * and no plugin items, the status server on a given port.
 */
final class CamRelayOnSimulator {

    private CamRelayOnSimulator() {
    }

    /** Starts CamRelay; each of {@code settings} goes over these, the ones before it and CamRelay's defaults. */
    @SafeVarargs
    static Main start(XProtectSimulator simulator, Path streamsFile, int statusPort, Map<String, String>... settings) {
        return start(CamRelayMain.create(), simulator, streamsFile, statusPort, settings);
    }

    /** {@link #start(XProtectSimulator, Path, int, Map[])} with a {@code main} of the caller's (another config file). */
    @SafeVarargs
    static Main start(Main main, XProtectSimulator simulator, Path streamsFile, int statusPort,
                      Map<String, String>... settings) {
        main.addOverrideProperty("camrelay.xprotect.url", simulator.baseUrl());
        main.addOverrideProperty("camrelay.xprotect.username", simulator.username());
        main.addOverrideProperty("camrelay.xprotect.password", simulator.password());
        main.addOverrideProperty("camrelay.streams.file", streamsFile.toString());
        main.addOverrideProperty("camrelay.streams.from-xprotect", "false");
        main.addOverrideProperty("camrelay.status.port", Integer.toString(statusPort));
        for (Map<String, String> more : settings) {
            more.forEach(main::addOverrideProperty);
        }
        main.start();
        return main;
    }
}
