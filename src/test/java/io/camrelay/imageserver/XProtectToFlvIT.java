package io.camrelay.imageserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.streams.CodecValidationProcessor;
import io.camrelay.streams.FlvFileDestination;
import io.camrelay.streams.FlvTaggingProcessor;
import io.camrelay.streams.SilentAudioProcessor;
import io.camrelay.streams.StripHeaderProcessor;
import io.camrelay.testing.FfProbe;
import io.camrelay.vms.VmsSession;
import io.camrelay.vms.VmsConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's end-to-end proof with every real part: the VMS session logs in to the simulator with 20 s tokens, the
 * {@code xprotect:} consumer streams the demo camera for 70 s through the foundation's processors into an FLV file.
 * The token is renewed several times over one ImageServer connection with no gap in the pictures, and ffprobe
 * decodes what was written.
 */
class XProtectToFlvIT {

    private static final Duration TOKEN_TTL = Duration.ofSeconds(20);
    private static final long RUN_MS = Long.getLong("camrelay.it.tokenRunMs", 70_000);
    private static final long MAX_GAP_MS = 500;

    @TempDir
    Path dir;

    private XProtectSimulator simulator;
    private VmsSession session;
    private CamelContext camel;

    @BeforeEach
    void startVms() throws Exception {
        simulator = XProtectSimulator.builder().accessTokenTtl(TOKEN_TTL).vmsTokenTtl(TOKEN_TTL).build().start();
        session = new VmsSession(
                VmsConfiguration.of(simulator.baseUrl(), simulator.username(), simulator.password()));
    }

    @AfterEach
    void stopAll() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (session != null) {
            session.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void aSimulatedCameraStreamsThroughRenewedTokensOnOneConnectionIntoADecodableFlv() throws Exception {
        Path flv = dir.resolve("camera.flv");
        String camera = XProtectSimulator.DEMO_CAMERA_ID;
        CopyOnWriteArrayList<Long> arrivals = new CopyOnWriteArrayList<>();
        AtomicLong lastArrival = new AtomicLong();
        AtomicLong maxGap = new AtomicLong();

        camel = new DefaultCamelContext();
        camel.getRegistry().bind("vms", session);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("xprotect:" + camera).routeId("camera")
                        .process(e -> {
                            long now = System.nanoTime() / 1_000_000;
                            long previous = lastArrival.getAndSet(now);
                            if (previous != 0) {
                                maxGap.accumulateAndGet(now - previous, Math::max);
                            }
                            arrivals.add(now);
                        })
                        .process(new StripHeaderProcessor())
                        .process(new CodecValidationProcessor("Demo Camera"))
                        .process(new FlvTaggingProcessor())
                        .process(new SilentAudioProcessor())
                        .process(new FlvFileDestination(flv));
            }
        });
        camel.start();
        Thread.sleep(RUN_MS);
        camel.stop();

        System.out.printf("figures: run %d ms, token TTL %d s, renewals %d, connectupdates %d, connections %d, "
                + "pictures %d, longest gap %d ms%n", RUN_MS, TOKEN_TTL.toSeconds(), simulator.renewals(),
                simulator.imageServer().acceptedConnectUpdates(camera), simulator.imageServer().acceptedConnects(camera),
                arrivals.size(), maxGap.get());
        int renewalsExpected = (int) (RUN_MS / TOKEN_TTL.toMillis()) - 1;
        assertThat(simulator.renewals()).as("VMS token renewals").isGreaterThanOrEqualTo(renewalsExpected);
        assertThat(simulator.imageServer().acceptedConnectUpdates(camera)).as("connectupdates on the open socket")
                .isGreaterThanOrEqualTo(renewalsExpected);
        assertThat(simulator.imageServer().acceptedConnects(camera)).as("ImageServer connections").isEqualTo(1);
        assertThat(maxGap.get()).as("longest gap between pictures, ms").isLessThan(MAX_GAP_MS);
        // The demo camera plays 25 fps: allow for start-up, not for a stall.
        assertThat(arrivals.size()).as("pictures received").isGreaterThan((int) (RUN_MS / 40 * 0.9));

        Path recording = io.camrelay.testing.FlvFiles.onlyRecordingOf(flv);
        assertThat(Files.size(recording)).isGreaterThan(0);
        assertThat(FfProbe.decodeErrors(recording)).isEmpty();
        FfProbe.Stream video = FfProbe.stream(recording, "video");
        assertThat(video.codecName()).isEqualTo("h264");
        assertThat(video.frames()).isEqualTo(arrivals.size());
        assertThat(FfProbe.stream(recording, "audio").codecName()).isEqualTo("aac");
    }
}
