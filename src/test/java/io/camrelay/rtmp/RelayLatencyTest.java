package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camrelay.support.MeterNames;
import io.camrelay.media.FlvTag;
import io.camrelay.rtmp.client.RtmpPublisherState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The producer's receive → socket write histogram (issue 6), against a loopback RTMP server that reads everything.
 */
class RelayLatencyTest {

    private static final byte[] PICTURE = new byte[1000];
    private static final byte[] AVC_CONFIG = {1, 0x42, 0, 0x1E, (byte) 0xFF, (byte) 0xE0, 0, 0};

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final StatusRecorder status = new StatusRecorder();
    private StalledRtmpServer server;
    private CamelContext context;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        server = new StalledRtmpServer(StalledRtmpServer.Mode.READ);
        context = new DefaultCamelContext();
        context.getRegistry().bind(MeterNames.REGISTRY_BEAN, meters);
        context.getRegistry().bind("status", status);
        String uri = "rtmp://127.0.0.1:" + server.port()
                + "/live/SECRET-KEY?publisherListener=#status&statusInterval=50";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
        server.close();
    }

    @Test
    void recordsEachVideoFrameOnceFromReceiveToSocketWrite() {
        template.sendBody("direct:in", FlvTag.video(0, true, true, false, AVC_CONFIG));
        for (int i = 0; i < 5; i++) {
            sendReceived(FlvTag.video(i * 40L, i == 0, false, false, PICTURE), System.nanoTime());
        }

        awaitFramesSent(5);

        Timer latency = meters.get(RtmpConstants.LATENCY_METER).timer();
        assertThat(latency.count()).isEqualTo(5);
        assertThat(latency.max(TimeUnit.SECONDS)).isPositive().isLessThan(10);
        assertThat(meters.get(RtmpConstants.STARTUP_METER).timer().count()).as("publishes measured").isEqualTo(1);
    }

    @Test
    void framesWithoutAReceiveTimeAreSentButNotRecorded() {
        template.sendBody("direct:in", FlvTag.video(0, true, true, false, AVC_CONFIG));
        template.sendBody("direct:in", List.of(FlvTag.video(0, true, false, false, PICTURE)));
        sendReceived(FlvTag.video(40, false, false, false, PICTURE), System.nanoTime());
        template.sendBody("direct:in", List.of(FlvTag.video(80, false, false, false, PICTURE)));

        awaitFramesSent(3);

        assertThat(meters.get(RtmpConstants.LATENCY_METER).timer().count()).isEqualTo(1);
        assertThat(meters.get(RtmpConstants.STARTUP_METER).timer().count())
                .as("the publish began with a frame without a receive time").isZero();
    }

    private void sendReceived(FlvTag tag, long receiveNanos) {
        template.sendBodyAndHeader("direct:in", List.of(tag), RtmpConstants.RECEIVE_TIME_NANOS, receiveNanos);
    }

    private void awaitFramesSent(long frames) {
        status.awaitState(RtmpPublisherState.STREAMING, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> status.latest().framesSent() == frames);
    }
}
