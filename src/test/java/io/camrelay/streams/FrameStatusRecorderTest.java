package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.support.MediaHeaders;
import io.camrelay.support.MeterNames;
import java.util.List;
import java.util.Map;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

class FrameStatusRecorderTest extends CamelTestSupport {

    private final StreamStatusRegistry registry = new StreamStatusRegistry();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getRegistry().bind(MeterNames.REGISTRY_BEAN, meters);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:picture").process(new FrameStatusRecorder(registry, "lobby"));
                from("direct:ghost").process(new FrameStatusRecorder(registry, "ghost"));
            }
        };
    }

    private void picture(String streamId, int size, boolean keyFrame, long pictureTime) {
        template.sendBodyAndHeaders("direct:" + (streamId.equals("lobby") ? "picture" : streamId), new byte[size],
                Map.of(MediaHeaders.KEY_FRAME, keyFrame, MediaHeaders.PICTURE_TIME, pictureTime));
    }

    @Test
    void countsPicturesAndLeavesStreamingToTheOutputsAPictureMayStillBeSkipped() {
        StreamTracker t = registry.define(new StreamDefinition("lobby", "Lobby", "cam", null, true,
                List.of(new Destination("out.flv", false)), StreamSource.FILE));
        t.state(StreamState.STARTING, null);

        picture("lobby", 500, false, 1000);
        picture("lobby", 9000, true, 1040);
        picture("lobby", 500, true, 3040);

        StreamStatus s = registry.snapshot("lobby").orElseThrow();
        assertThat(s.framesIn()).isEqualTo(3);
        assertThat(s.keyframeIntervalMs()).isEqualTo(2000);
        assertThat(t.ownState()).isEqualTo(StreamState.STARTING);
    }

    @Test
    void timesTheTransitOfEachSessionsFirstKeyFrameFromThePictureTime() {
        StreamTracker t = registry.define(new StreamDefinition("lobby", "Lobby", "cam", null, true,
                List.of(new Destination("out.flv", false)), StreamSource.FILE));
        t.state(StreamState.STARTING, null);
        long received = System.nanoTime();
        long now = System.currentTimeMillis();
        keyFrame("lobby", now - 300, received);
        keyFrame("lobby", now - 5000, received); // same session: not a start-up
        t.state(StreamState.RECONNECTING, null);
        keyFrame("lobby", now + 50, received); // the VMS's clock is ahead: counts as 0

        Timer transit = meters.find(FrameStatusRecorder.TRANSIT_METER).timer();
        assertThat(transit).isNotNull();
        assertThat(transit.count()).isEqualTo(2);
        assertThat(transit.max(TimeUnit.MILLISECONDS)).isBetween(300.0, 1000.0);
        assertThat(transit.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(transit.max(TimeUnit.MILLISECONDS));
    }

    private void keyFrame(String streamId, long pictureTime, long receiveNanos) {
        template.sendBodyAndHeaders("direct:picture", new byte[100], Map.of(MediaHeaders.KEY_FRAME, true, MediaHeaders.PICTURE_TIME, pictureTime,
                MediaHeaders.RECEIVE_TIME_NANOS, receiveNanos));
    }

    @Test
    void ignoresPicturesOfUnknownStreams() {
        picture("ghost", 10, true, 0);
        assertThat(registry.ids()).isEmpty();
    }
}
