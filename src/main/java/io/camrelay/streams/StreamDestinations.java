package io.camrelay.streams;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.media.VideoFormat;
import io.camrelay.support.MediaHeaders;
import io.camrelay.support.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The last step of a stream route (docs/design.md "Data flow"): one ImageServer session fanned out to every
 * destination of the stream. Starting opens one {@link DestinationSink} per destination of the registry's definition
 * through its {@link DestinationType} (the URLs with keys never become route parameters); each exchange's
 * {@code List<FlvTag>} goes to each sink, and a failing destination goes to ERROR on its own while the others and
 * the camera carry on. Also shows the video format (from {@link MediaHeaders#VIDEO_FORMAT}) in the status.
 *
 * <p>Stateful: one instance per route (a bean of the route template instance).
 */
public final class StreamDestinations extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(StreamDestinations.class);
    /** How often a failed destination's ERROR is shown again after the stream's state was reset. */
    private static final long FAILURE_REFRESH_NANOS = 1_000_000_000L;
    /** A picture received without a receive time. */
    static final long NO_RECEIVE_TIME = Long.MIN_VALUE;

    private final String streamId;
    private CamelContext camelContext;
    /** Replaced whole at start and stop, read per exchange without a lock. */
    private volatile List<Output> outputs = List.of();
    private StreamTracker tracker;

    /** The destinations of stream {@code streamId}, as its definition in the status registry lists them. */
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
    protected synchronized void doStart() {
        StreamStatusRegistry registry = StreamStatusRegistry.lookup(camelContext);
        DestinationTypes types = DestinationTypes.lookup(camelContext);
        StreamDefinition definition = registry.definition(streamId).orElseThrow(() -> new IllegalStateException(
                "stream '" + streamId + "' has no definition in the status registry"));
        tracker = registry.stream(streamId);
        List<Output> started = new ArrayList<>();
        for (Destination d : definition.destinations()) {
            DestinationTracker status = tracker.destination(d.url());
            Output output = new Output(d, status);
            started.add(output);
            try {
                DestinationType type = types.typeOf(d.url()).orElseThrow(() -> new IllegalArgumentException(
                        types.problemWith(d.url())));
                status.newSink();
                output.sink = type.open(new DestinationContext(streamId, d, status, camelContext));
                output.sink.start();
            } catch (Exception e) {
                output.fail("destination " + d.maskedUrl() + " could not be started: " + Secrets.rootMessage(e));
            }
        }
        outputs = List.copyOf(started);
    }

    @Override
    protected synchronized void doStop() {
        StreamTracker tr = tracker;
        if (tr != null && tr.currentState() != StreamState.ERROR) {
            tr.state(StreamState.STOPPED, null);
        }
        List<Output> stopping = outputs;
        outputs = List.of();
        for (Output o : stopping) {
            if (o.sink == null) {
                continue;
            }
            try {
                o.sink.stop();
            } catch (Exception e) {
                LOG.warn("stream {}: destination {} did not stop cleanly: {}", streamId, o.destination.maskedUrl(),
                        Secrets.rootMessage(e));
            }
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
        if (!tags.isEmpty() && (tags.get(0).sequenceHeader() || tags.get(0).type() != FlvTagType.VIDEO)) {
            VideoFormat format = message.getHeader(MediaHeaders.VIDEO_FORMAT, VideoFormat.class);
            StreamTracker tr = tracker;
            if (format != null && tr != null) {
                tr.videoFormat(format.codec().name(), format.width(), format.height());
            }
        }
        Long received = message.getHeader(MediaHeaders.RECEIVE_TIME_NANOS, Long.class);
        long receiveNanos = received == null ? NO_RECEIVE_TIME : received;
        for (Output o : outputs) {
            o.send(tags, receiveNanos);
        }
    }

    /** One destination: isolated, never throws into the route. */
    private final class Output {
        final Destination destination;
        final DestinationTracker status;
        DestinationSink sink;
        volatile boolean failed;
        volatile String failure;
        long lastShownNanos;

        Output(Destination destination, DestinationTracker status) {
            this.destination = destination;
            this.status = status;
        }

        void send(List<FlvTag> tags, long receiveNanos) {
            if (failed) {
                // a (re)start of the camera session resets every destination to STARTING: show the failure again
                long now = System.nanoTime();
                if (now - lastShownNanos > FAILURE_REFRESH_NANOS) {
                    lastShownNanos = now;
                    status.state(StreamState.ERROR, failure);
                }
                return;
            }
            try {
                sink.send(tags, receiveNanos);
            } catch (Exception e) {
                fail("destination " + destination.maskedUrl() + " failed: " + Secrets.rootMessage(e));
            }
        }

        void fail(String reason) {
            failure = reason;
            lastShownNanos = System.nanoTime();
            failed = true;
            MDC.put("streamId", streamId);
            try {
                LOG.error("stream {}: {}; the other destinations carry on", streamId, reason);
            } finally {
                MDC.remove("streamId");
            }
            status.state(StreamState.ERROR, reason);
        }
    }
}
