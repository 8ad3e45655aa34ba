package io.camrelay.streams;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.media.VideoFormat;
import io.camrelay.support.MediaHeaders;
import java.util.List;
import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The last step of a stream route (docs/design.md "Data flow"): hands each picture's {@code List<FlvTag>} to the
 * stream's outputs ({@link StreamOutputs}), which fan it out to every destination on the stream's continuous
 * timeline. The outputs belong to the stream, not to this route (the reconciler opens and closes them), so a stop of
 * the route (the error handler's restart, a new camera) does not unpublish: it tells the outputs that the camera
 * side stopped, and they hold (docs/design.md §7a). Only when the application stops does a route's stop close its
 * stream's outputs, before the components their sinks use stop. Also shows the video format (from
 * {@link MediaHeaders#VIDEO_FORMAT}) in the status.
 *
 * <p>One instance per route (a bean of the route template instance).
 */
public final class StreamDestinations extends ServiceSupport implements Processor, CamelContextAware {

    /** A picture received without a receive time. */
    static final long NO_RECEIVE_TIME = Long.MIN_VALUE;

    private final String streamId;
    private CamelContext camelContext;
    private volatile StreamOutputsRegistry outputs;

    /** The destinations of stream {@code streamId}, as its outputs in the Camel registry have them. */
    public StreamDestinations(String streamId) {
        this.streamId = Objects.requireNonNull(streamId, "streamId");
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The stream whose destinations these are. */
    public String streamId() {
        return streamId;
    }

    @Override
    protected void doStart() {
        outputs = StreamOutputsRegistry.lookup(camelContext);
    }

    @Override
    protected void doStop() {
        StreamOutputsRegistry r = outputs;
        if (r == null) {
            return;
        }
        if (camelContext != null && camelContext.isStopping()) {
            // the application stops: unpublish now, while the components the sinks use still run
            r.closeAndWait(streamId);
        } else {
            r.get(streamId).ifPresent(StreamOutputs::cameraSideStopped);
        }
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        if (!(message.getBody() instanceof List<?> body)) {
            throw new IllegalArgumentException("stream " + streamId + ": the destinations expect a List<FlvTag> body"
                    + " (from SilentAudioProcessor)");
        }
        List<FlvTag> tags = SilentAudioProcessor.tags(body);
        StreamOutputsRegistry r = outputs;
        StreamOutputs o = r == null ? null : r.get(streamId).orElse(null);
        if (o == null) {
            return; // removed meanwhile: the route is being stopped
        }
        if (!tags.isEmpty() && (tags.get(0).sequenceHeader() || tags.get(0).type() != FlvTagType.VIDEO)) {
            VideoFormat format = message.getHeader(MediaHeaders.VIDEO_FORMAT, VideoFormat.class);
            StreamTracker tr = o.tracker();
            if (format != null) {
                tr.videoFormat(format.codec().name(), format.width(), format.height());
            }
        }
        Long received = message.getHeader(MediaHeaders.RECEIVE_TIME_NANOS, Long.class);
        o.deliver(tags, received == null ? NO_RECEIVE_TIME : received);
    }
}
