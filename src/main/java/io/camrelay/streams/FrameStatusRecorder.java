package io.camrelay.streams;

import io.camrelay.imageserver.XProtectConstants;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * A route step that counts each picture in the status of the stream named by the {@code CamRelayStreamId} header:
 * size of the {@code byte[]} body, key frame and picture time from the header-stripping step. The first key frame
 * marks the stream's input STREAMING (the reported state still waits for every destination). One shared instance,
 * bound as {@value #BEAN_NAME}; lock-free per frame. Unknown or missing stream ids are ignored.
 *
 * <p>That first key frame of each session is also timed, when a meter registry is bound ({@value #TRANSIT_METER}):
 * from the camera's picture time to CamRelay's receive, the first part of a stream's start-up (the rtmp producer's
 * {@code camrelay.relay.startup} is the second). It includes the VMS's buffering and any offset between the VMS's
 * clock and this machine's; a negative difference counts as 0.
 */
public final class FrameStatusRecorder implements Processor {

    /** The bean name the route template refers to. */
    public static final String BEAN_NAME = "frameStatusRecorder";
    /** The first key frame's transit; Prometheus: {@code camrelay_stream_first_keyframe_transit_seconds}. */
    public static final String TRANSIT_METER = "camrelay.stream.first.keyframe.transit";

    private final StreamStatusRegistry registry;

    public FrameStatusRecorder(StreamStatusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String streamId = in.getHeader(XProtectConstants.STREAM_ID, String.class);
        StreamTracker tracker = streamId == null ? null : registry.stream(streamId);
        if (tracker == null) {
            return;
        }
        Object body = in.getBody();
        long size = body instanceof byte[] bytes ? bytes.length : 0;
        boolean keyFrame = Boolean.TRUE.equals(in.getHeader(XProtectConstants.KEY_FRAME, Boolean.class));
        Long pictureTime = in.getHeader(XProtectConstants.PICTURE_TIME, Long.class);
        tracker.onFrame(size, keyFrame, pictureTime == null ? 0 : pictureTime);
        if (keyFrame && tracker.ownState() != StreamState.STREAMING) {
            tracker.state(StreamState.STREAMING, null);
            recordTransit(exchange, in.getHeader(XProtectConstants.RECEIVE_TIME_NANOS, Long.class), pictureTime);
        }
    }

    /** Once per session start, so the registry look-up is not on the per-frame path. */
    private static void recordTransit(Exchange exchange, Long receiveNanos, Long pictureTime) {
        MeterRegistry meters = exchange.getContext().getRegistry().lookupByNameAndType(
                StreamMetrics.METER_REGISTRY_BEAN, MeterRegistry.class);
        if (meters == null || receiveNanos == null || pictureTime == null) {
            return;
        }
        long receivedWallMillis = System.currentTimeMillis() - (System.nanoTime() - receiveNanos) / 1_000_000;
        Timer.builder(TRANSIT_METER)
                .description("camera picture time of a session's first key frame to its receive by CamRelay")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(meters)
                .record(Math.max(0, receivedWallMillis - pictureTime), TimeUnit.MILLISECONDS);
    }
}
