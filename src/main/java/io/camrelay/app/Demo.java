package io.camrelay.app;

import io.camrelay.simulator.XProtectSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo} (docs/design.md §4): the embedded XProtect simulator on ephemeral loopback ports, CamRelay pointed
 * at it, and one demo stream of its demo camera into {@value #OUTPUT_FILE} (plus {@code DEMO_RTMP_URL} when that
 * variable is set). The demo streams file is written next to the recording.
 */
final class Demo implements AutoCloseable {

    /** The demo recording, relative to the working directory. */
    static final String OUTPUT_FILE = "output/demo.flv";
    /** The demo's streams file. */
    static final Path STREAMS_FILE = Path.of("output", "demo-streams.yaml");
    /** Environment variable: an extra RTMP destination of the demo stream. */
    static final String RTMP_URL_VARIABLE = "DEMO_RTMP_URL";

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

    private final XProtectSimulator simulator;

    private Demo(XProtectSimulator simulator) {
        this.simulator = simulator;
    }

    static Demo start(Main main) throws IOException {
        XProtectSimulator simulator = XProtectSimulator.builder().build().start();
        Files.createDirectories(STREAMS_FILE.getParent());
        String rtmp = System.getenv(RTMP_URL_VARIABLE);
        boolean withRtmp = rtmp != null && !rtmp.isBlank();
        // the RTMP URL stays a variable reference: its key is never written to disk
        Files.writeString(STREAMS_FILE, """
                # Written by `camrelay --demo`: the simulator's demo camera into a local FLV file.
                streams:
                  - id: demo
                    name: Demo camera
                    camera: %s
                    destinations:
                      - url: %s
                %s""".formatted(XProtectSimulator.DEMO_CAMERA_ID, OUTPUT_FILE,
                withRtmp ? "      - url: ${env:" + RTMP_URL_VARIABLE + "}\n" : ""));
        main.addOverrideProperty("camrelay.xprotect.url", simulator.baseUrl());
        main.addOverrideProperty("camrelay.xprotect.username", simulator.username());
        main.addOverrideProperty("camrelay.xprotect.password", simulator.password());
        main.addOverrideProperty("camrelay.streams.file", STREAMS_FILE.toString());
        main.addOverrideProperty("camrelay.streams.from-xprotect", "false");
        main.addOverrideProperty("camrelay.streams.poll-interval", "5s");
        main.addOverrideProperty("camel.server.enabled", "true");
        LOG.info("demo: XProtect simulator at {}; camera '{}' -> {}{}", simulator.baseUrl(), "Demo Camera",
                OUTPUT_FILE, withRtmp ? " and " + RTMP_URL_VARIABLE : "");
        return new Demo(simulator);
    }

    @Override
    public void close() {
        simulator.close();
    }
}
