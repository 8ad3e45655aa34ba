package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.imageserver.XProtectConstants;
import java.util.List;
import java.util.Map;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

class FrameStatusRecorderTest extends CamelTestSupport {

    private final StreamStatusRegistry registry = new StreamStatusRegistry();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:picture").process(new FrameStatusRecorder(registry));
            }
        };
    }

    private void picture(String streamId, int size, boolean keyFrame, long pictureTime) {
        template.sendBodyAndHeaders("direct:picture", new byte[size], Map.of(XProtectConstants.STREAM_ID, streamId,
                XProtectConstants.KEY_FRAME, keyFrame, XProtectConstants.PICTURE_TIME, pictureTime));
    }

    @Test
    void countsPicturesAndMarksTheInputStreamingFromTheFirstKeyFrame() {
        StreamTracker t = registry.define(new StreamDefinition("lobby", "Lobby", "cam", null, true,
                List.of(new Destination("out.flv", false)), StreamSource.FILE));
        t.state(StreamState.STARTING, null);

        picture("lobby", 500, false, 1000);
        assertThat(t.ownState()).isEqualTo(StreamState.STARTING);
        picture("lobby", 9000, true, 1040);
        picture("lobby", 500, true, 3040);
        t.destinations().get(0).state(StreamState.STREAMING, null);

        StreamStatus s = registry.snapshot("lobby").orElseThrow();
        assertThat(s.framesIn()).isEqualTo(3);
        assertThat(s.keyframeIntervalMs()).isEqualTo(2000);
        assertThat(s.state()).isEqualTo(StreamState.STREAMING);
    }

    @Test
    void ignoresPicturesOfUnknownStreams() {
        picture("ghost", 10, true, 0);
        assertThat(registry.ids()).isEmpty();
    }
}
