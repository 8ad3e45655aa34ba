package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.camrelay.media.FlvTag;
import io.camrelay.rtmp.client.RtmpPublisherState;
import io.camrelay.testing.OpenSockets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Stopping a destination whose server accepted the publish and then stopped reading (docs/protocols.md A10). */
class RtmpStalledStopIT {

    private static final byte[] AVC_CONFIG = {1, 0x42, 0, 0x1E, (byte) 0xFF, (byte) 0xE0, 0, 0};
    private static final int RESTARTS = 3;

    @Test
    void stoppingClosesTheSocketToAStalledServerWithinSixSecondsOnEveryRestart() throws Exception {
        assumeThat(OpenSockets.supported()).as("Linux /proc").isTrue();
        try (StalledRtmpServer server = new StalledRtmpServer();
                RtmpRoutes routes = new RtmpRoutes("rtmp://127.0.0.1:" + server.port() + "/live/stalled")) {
            for (int restart = 1; restart <= RESTARTS; restart++) {
                // Given a publish the server accepted and then stopped reading, with megabytes waiting to go out
                int round = restart;
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.stalled.get() == round);
                byte[] picture = new byte[256 * 1024];
                routes.send(FlvTag.video(0, true, true, false, AVC_CONFIG));
                for (int i = 0; i < 40; i++) {
                    routes.send(FlvTag.video(i * 40L, true, false, false, picture));
                }
                routes.status.awaitState(RtmpPublisherState.STREAMING, Duration.ofSeconds(10));
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> routes.status.latest().queuedBytes() > 0);
                assertThat(OpenSockets.connectedTo(server.port())).as("sockets to the server before stop #" + restart)
                        .isEqualTo(1);

                // When the route (and so the producer) is stopped
                long stopped = System.nanoTime();
                routes.context.getRouteController().stopRoute("rtmp-test");

                // Then the socket is closed within 6 s of the stop
                Awaitility.await("socket to the stalled server closed after stop #" + restart)
                        .atMost(Duration.ofSeconds(6).minusNanos(System.nanoTime() - stopped))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> OpenSockets.connectedTo(server.port()) == 0);
                routes.context.getRouteController().startRoute("rtmp-test");
            }
        }
    }
}
