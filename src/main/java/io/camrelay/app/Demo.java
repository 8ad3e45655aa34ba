package io.camrelay.app;

import io.camrelay.exports.ExportJob;
import io.camrelay.exports.ExportService;
import io.camrelay.exports.ExportState;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.support.Durations;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo} (docs/design.md §4): the embedded XProtect simulator on ephemeral loopback ports, CamRelay pointed
 * at it, and one demo stream of its demo camera into {@value #OUTPUT_FILE} (plus {@code DEMO_RTMP_URL} when that
 * variable is set). The demo streams file is written next to the recording. Once started it exports a minute of the
 * demo camera's recording into {@value #EXPORTS_DIR} and logs how to export more.
 */
final class Demo implements AutoCloseable {

    /** The demo recording, relative to the working directory. */
    static final String OUTPUT_FILE = "output/demo.flv";
    /** The demo's streams file. */
    static final Path STREAMS_FILE = Path.of("output", "demo-streams.yaml");
    /** Environment variable: an extra RTMP destination of the demo stream. */
    static final String RTMP_URL_VARIABLE = "DEMO_RTMP_URL";

    /** Where the demo's exports go. */
    static final String EXPORTS_DIR = "output/exports";
    /** The demo's export: this much recording, ending this long before the demo started. */
    static final Duration EXPORT_LENGTH = Duration.ofMinutes(1);
    static final Duration EXPORT_ENDS_BEFORE = Duration.ofMinutes(5);

    /** When, after the start, the demo camera drops off its recorder to show the hold, and for how long. */
    static final Duration HOLD_SHOWN_AFTER = Duration.ofSeconds(15);
    static final Duration HOLD_SHOWN_FOR = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

    private final XProtectSimulator simulator;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "camrelay-demo-hold");
        t.setDaemon(true);
        return t;
    });

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
        main.addOverrideProperty("camrelay.exports.dir", EXPORTS_DIR);
        Demo demo = new Demo(simulator);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                exportOnce(started.getCamelContext());
                demo.showHoldOnce(started.getCamelContext());
            }
        });
        LOG.info("demo: XProtect simulator at {}; camera '{}' -> {}{}", simulator.baseUrl(), "Demo Camera",
                OUTPUT_FILE, withRtmp ? " and " + RTMP_URL_VARIABLE : "");
        return demo;
    }

    /**
     * Once, {@link #HOLD_SHOWN_AFTER} after the start, the demo camera drops off its recorder for
     * {@link #HOLD_SHOWN_FOR}, as a camera that loses power does: a new user sees the stream go HOLDING while every
     * destination keeps its publish, and resume by itself.
     */
    private void showHoldOnce(CamelContext camel) {
        String port = camel.getPropertiesComponent().resolveProperty("camrelay.status.port").orElse("8080");
        timer.schedule(() -> {
            LOG.info("demo: the demo camera drops off its recorder for {} to show the hold: the stream goes HOLDING "
                    + "and its destinations keep publishing the last key frame and silence (GET "
                    + "http://127.0.0.1:{}/api/streams/demo)", Durations.human(HOLD_SHOWN_FOR), port);
            simulator.setCameraConnected(XProtectSimulator.DEMO_CAMERA_ID, false);
            timer.schedule(() -> {
                LOG.info("demo: the demo camera is back on its recorder: the stream resumes at its next key frame");
                simulator.setCameraConnected(XProtectSimulator.DEMO_CAMERA_ID, true);
            }, HOLD_SHOWN_FOR.toMillis(), TimeUnit.MILLISECONDS);
        }, HOLD_SHOWN_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Exports a minute of the demo camera's recording once, so a new user sees an export happen, and logs how to ask
     * for more (the API and the command line).
     */
    static void exportOnce(CamelContext camel) {
        ExportService exports = camel.getRegistry().lookupByNameAndType(ExportService.BEAN_NAME, ExportService.class);
        if (exports == null) {
            return;
        }
        Instant to = Instant.now().minus(EXPORT_ENDS_BEFORE).truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minus(EXPORT_LENGTH);
        ExportJob job = exports.submit(XProtectSimulator.DEMO_CAMERA_ID, from.toString(), to.toString(), "mp4");
        String port = camel.getPropertiesComponent().resolveProperty("camrelay.status.port").orElse("8080");
        LOG.info("demo: exporting {} of 'Demo Camera' ({} to {}) as export {}: GET http://127.0.0.1:{}/api/exports/{};"
                + " more with POST /api/exports or: bin/camrelay export --demo --camera 'Demo Camera' --from {} --to {}"
                + " -o clip.mp4", Durations.human(EXPORT_LENGTH), from, to, job.id(), port, job.id(), from, to);
        Thread watch = new Thread(() -> {
            try {
                ExportJob now = job;
                while (!now.state().finished()) {
                    Thread.sleep(500);
                    now = exports.job(job.id()).orElse(now);
                }
                if (now.state() == ExportState.DONE) {
                    LOG.info("demo: export {} is DONE: {} ({} pictures), download: http://127.0.0.1:{}{}", job.id(),
                            exports.file(job.id()).map(Object::toString).orElse("?"), now.frames(), port, now.file());
                } else {
                    LOG.warn("demo: export {} ended {}: {}", job.id(), now.state(), now.error());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "camrelay-demo-export");
        watch.setDaemon(true);
        watch.start();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        simulator.close();
    }
}
