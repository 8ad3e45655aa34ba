package io.camrelay.streams;

import io.camrelay.support.MediaHeaders;
import io.camrelay.support.MeterNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * A route step that counts each picture in the status of its stream: size of the {@code byte[]} body, key frame and
 * picture time from the header-stripping step. The stream's own STREAMING is set by its outputs when a key frame
 * reaches them (a picture counted here may still be skipped as unreadable, docs/design.md §7a). One instance per
 * stream route (a bean of the route template instance, made with the stream id); lock-free per frame. A stream the
 * registry does not know is ignored.
 *
 * <p>That first key frame of each session is also timed, when a meter registry is bound ({@value #TRANSIT_METER}):
 * its age when CamRelay receives it, from the picture time the recorder gave it. A recorder starts live with the
 * GOP it has buffered (docs/timing.md), so this is up to a key-frame interval, plus the recorder's buffering and
 * any offset between the recorder's clock and this machine's; a negative difference counts as 0. It is not a delay
 * CamRelay adds: the rtmp producer's {@code camrelay.relay.startup} (receive to RTMP socket write) is.
 */
public final class FrameStatusRecorder implements Processor {

    /** The first key frame's age on receipt; Prometheus: {@code camrelay_stream_first_keyframe_transit_seconds}. */
    public static final String TRANSIT_METER = "camrelay.stream.first.keyframe.transit";

    private final String streamId;
    private volatile StreamStatusRegistry registry;
    /** The camera epoch whose first key frame was timed (route thread only). */
    private long timedEpoch = -1;

    /** The recorder of stream {@code streamId}; the registry is the one bound in the route's Camel context. */
    public FrameStatusRecorder(String streamId) {
        this(null, streamId);
    }

    /** The recorder of stream {@code streamId} in {@code registry} (null: the one bound in the Camel context). */
    public FrameStatusRecorder(StreamStatusRegistry registry, String streamId) {
        this.registry = registry;
        this.streamId = java.util.Objects.requireNonNull(streamId, "streamId");
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        StreamStatusRegistry r = registry;
        if (r == null) {
            r = registry = StreamStatusRegistry.lookup(exchange.getContext());
        }
        // looked up per picture on purpose: a redefinition replaces the tracker (a map look-up, no allocation)
        StreamTracker tracker = r.stream(streamId);
        if (tracker == null) {
            return;
        }
        Object body = in.getBody();
        long size = body instanceof byte[] bytes ? bytes.length : 0;
        boolean keyFrame = Boolean.TRUE.equals(in.getHeader(MediaHeaders.KEY_FRAME, Boolean.class));
        Long pictureTime = in.getHeader(MediaHeaders.PICTURE_TIME, Long.class);
        tracker.onFrame(size, keyFrame, pictureTime == null ? 0 : pictureTime);
        if (keyFrame && tracker.cameraEpoch() != timedEpoch) {
            timedEpoch = tracker.cameraEpoch();
            recordTransit(exchange, in.getHeader(MediaHeaders.RECEIVE_TIME_NANOS, Long.class), pictureTime);
        }
    }

    /** Once per session start, so the registry look-up is not on the per-frame path. */
    private static void recordTransit(Exchange exchange, Long receiveNanos, Long pictureTime) {
        MeterRegistry meters = exchange.getContext().getRegistry().lookupByNameAndType(
                MeterNames.REGISTRY_BEAN, MeterRegistry.class);
        if (meters == null || receiveNanos == null || pictureTime == null) {
            return;
        }
        long receivedWallMillis = System.currentTimeMillis() - (System.nanoTime() - receiveNanos) / 1_000_000;
        Timer.builder(TRANSIT_METER)
                .description("age of a session's first key frame when CamRelay receives it (from the recorder's "
                        + "picture time: up to a key-frame interval of pre-buffered GOP plus the recorder's clock "
                        + "offset), not a delay CamRelay adds")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(meters)
                .record(Math.max(0, receivedWallMillis - pictureTime), TimeUnit.MILLISECONDS);
    }
}
