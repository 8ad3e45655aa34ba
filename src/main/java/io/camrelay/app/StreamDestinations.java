package io.camrelay.app;

import io.camrelay.support.Secrets;
import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.media.H264Sps;
import io.camrelay.rtmp.RtmpComponent;
import io.camrelay.rtmp.RtmpEndpoint;
import io.camrelay.rtmp.client.RtmpPublisherStats;
import io.camrelay.rtmp.client.RtmpUrl;
import io.camrelay.streams.Destination;
import io.camrelay.streams.DestinationTracker;
import io.camrelay.streams.FlvFileDestination;

import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamState;
import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.streams.StreamTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The last step of a stream route (architecture.md §1, §3): one ImageServer session fanned out to every destination
 * of the stream. Starting builds one {@code rtmp:}/{@code rtmps:} producer or {@link FlvFileDestination} per
 * destination from the registry's definition (the URLs with keys never become route parameters); each exchange's
 * {@code List<FlvTag>} goes to each destination, and a failing destination goes to ERROR on its own while the
 * others and the camera carry on. Also reports the video format (from the AVC sequence header) to the status.
 *
 * <p>Stateful: one instance per route (a bean of the route template instance).
 */
public final class StreamDestinations extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(StreamDestinations.class);
    /** FLV video tag body: frame type/codec, AVCPacketType, composition time (3), then the AVC record (ISO 14496-15). */
    private static final int AVC_RECORD_OFFSET = 5;
    /** AVCDecoderConfigurationRecord: 6 bytes of fields, then the first SPS's 16-bit length (ISO 14496-15 5.3.3.1). */
    private static final int SPS_LENGTH_OFFSET = AVC_RECORD_OFFSET + 6;

    /** How often a file destination's state is shown again after the stream's state was reset. */
    private static final long FAILURE_REFRESH_NANOS = 1_000_000_000L;

    private final String streamId;
    private CamelContext camelContext;
    /** Replaced whole at start and stop, read per exchange without a lock. */
    private volatile List<Target> targets = List.of();
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
    protected synchronized void doStart() throws Exception {
        StreamStatusRegistry registry = camelContext.getRegistry()
                .lookupByNameAndType(StreamStatusRegistry.BEAN_NAME, StreamStatusRegistry.class);
        if (registry == null) {
            throw new IllegalStateException("no " + StreamStatusRegistry.BEAN_NAME + " bean: add StreamsWiring to the"
                    + " Camel Main");
        }
        StreamDefinition definition = registry.definition(streamId).orElseThrow(() -> new IllegalStateException(
                "stream '" + streamId + "' has no definition in the status registry"));
        tracker = registry.stream(streamId);
        List<Target> started = new ArrayList<>();
        for (Destination d : definition.destinations()) {
            DestinationTracker dt = tracker.destination(d.url());
            Target t = d.isFile() ? new FileTarget(d, dt) : new RtmpTarget(d, dt);
            started.add(t);
            try {
                t.start();
            } catch (Exception e) {
                t.fail("destination " + d.maskedUrl() + " could not be started: " + rootMessage(e));
            }
        }
        targets = List.copyOf(started);
    }

    @Override
    protected synchronized void doStop() {
        StreamTracker tr = tracker;
        if (tr != null && tr.currentState() != StreamState.ERROR) {
            tr.state(StreamState.STOPPED, null);
        }
        List<Target> stopping = targets;
        targets = List.of();
        for (Target t : stopping) {
            try {
                t.stop();
            } catch (Exception e) {
                LOG.warn("stream {}: destination {} did not stop cleanly: {}", streamId, t.destination.maskedUrl(),
                        rootMessage(e));
            }
        }
    }

    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> list) {
            reportFormat(list);
        }
        for (Target t : targets) {
            t.send(exchange);
        }
    }

    private void reportFormat(List<?> tags) {
        StreamTracker tr = tracker;
        if (tr == null) {
            return;
        }
        for (Object o : tags) {
            if (o instanceof FlvTag tag && tag.type() == FlvTagType.VIDEO && tag.sequenceHeader()) {
                byte[] b = tag.body();
                if (b.length > SPS_LENGTH_OFFSET + 2) {
                    int spsLength = ((b[SPS_LENGTH_OFFSET] & 0xff) << 8) | (b[SPS_LENGTH_OFFSET + 1] & 0xff);
                    int from = SPS_LENGTH_OFFSET + 2;
                    if (from + spsLength <= b.length) {
                        try {
                            H264Sps sps = H264Sps.parse(b, from, from + spsLength);
                            tr.videoFormat("H264", sps.width(), sps.height());
                        } catch (RuntimeException e) {
                            LOG.debug("stream {}: SPS not readable for the status: {}", streamId, e.toString());
                        }
                    }
                }
                return;
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return Secrets.maskUrlsIn(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }

    /** One destination: isolated, never throws into the route. */
    private abstract class Target {
        final Destination destination;
        final DestinationTracker status;
        volatile boolean failed;
        volatile String failure;
        long lastShownNanos;

        Target(Destination destination, DestinationTracker status) {
            this.destination = destination;
            this.status = status;
        }

        abstract void start() throws Exception;

        abstract void stop() throws Exception;

        abstract void deliver(Exchange exchange) throws Exception;

        void send(Exchange exchange) {
            if (failed) {
                // a (re)start of the camera session resets every destination to STARTING: show the failure again
                long now = System.nanoTime();
                if (status != null && now - lastShownNanos > FAILURE_REFRESH_NANOS) {
                    lastShownNanos = now;
                    status.state(StreamState.ERROR, failure);
                }
                return;
            }
            try {
                deliver(exchange);
            } catch (Exception e) {
                fail("destination " + destination.maskedUrl() + " failed: " + rootMessage(e));
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
            if (status != null) {
                status.state(StreamState.ERROR, reason);
            }
        }
    }

    private final class FileTarget extends Target {
        private final FlvFileDestination file;
        private boolean streaming;

        FileTarget(Destination destination, DestinationTracker status) {
            super(destination, status);
            this.file = new FlvFileDestination(destination.url());
        }

        @Override
        void start() {
            ServiceHelper.startService(file);
            streaming = false;
            if (status != null) {
                status.state(StreamState.STARTING, null);
            }
        }

        @Override
        void stop() {
            ServiceHelper.stopService(file);
            if (status != null && !failed) {
                status.state(StreamState.STOPPED, null);
            }
        }

        @Override
        void deliver(Exchange exchange) throws Exception {
            Object body = exchange.getMessage().getBody();
            long droppedBefore = file.droppedFrames();
            file.process(exchange);
            if (status != null && body instanceof List<?> tags) {
                long droppedNow = file.droppedFrames() - droppedBefore;
                if (droppedNow > 0) {
                    status.onFramesDropped(droppedNow);
                } else {
                    for (Object o : tags) {
                        status.onFrameSent(((FlvTag) o).size());
                    }
                }
                // shown again every second: a restart of the camera session resets destinations to STARTING
                long now = System.nanoTime();
                if (!tags.isEmpty() && (!streaming || now - lastShownNanos > FAILURE_REFRESH_NANOS)) {
                    streaming = true;
                    lastShownNanos = now;
                    status.state(StreamState.STREAMING, null);
                }
            }
        }
    }

    private final class RtmpTarget extends Target {
        private Producer producer;
        private long framesSent;
        private long bytesSent;
        private long dropped;
        private long reconnects;

        RtmpTarget(Destination destination, DestinationTracker status) {
            super(destination, status);
        }

        @Override
        void start() throws Exception {
            RtmpUrl url = RtmpUrl.parse(destination.url());
            String scheme = url.secure() ? "rtmps" : "rtmp";
            String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
            // the key is an option of its own, set in Java: it never appears in an endpoint URI
            String uri = scheme + "://" + host + ":" + url.port() + "/" + url.app() + "?streamId=" + streamId
                    + "&allowUntrustedCertificates=" + destination.allowUntrustedCertificates();
            RtmpComponent component = camelContext.getComponent(scheme, RtmpComponent.class);
            RtmpEndpoint endpoint = (RtmpEndpoint) component.createEndpoint(uri);
            endpoint.getConfiguration().setStreamKey(url.streamKey());
            endpoint.getConfiguration().setPublisherListener(this::onStatus);
            framesSent = bytesSent = dropped = reconnects = 0;
            ServiceHelper.initService(endpoint);
            producer = endpoint.createProducer();
            ServiceHelper.startService(producer);
        }

        @Override
        void stop() {
            ServiceHelper.stopAndShutdownService(producer);
            producer = null;
        }

        @Override
        void deliver(Exchange exchange) throws Exception {
            Producer p = producer;
            if (p == null) {
                return;
            }
            ((AsyncProcessor) p).process(exchange, doneSync -> { });
            Exception e = exchange.getException();
            if (e != null) {
                exchange.setException(null);
                throw e;
            }
        }

        /** On the connection's event loop: counters only. */
        private void onStatus(RtmpPublisherStats s) {
            DestinationTracker d = status;
            if (d == null) {
                return;
            }
            synchronized (this) {
                if (s.framesSent() > framesSent) {
                    d.onFramesSentDelta(s.framesSent() - framesSent, s.bytesSent() - bytesSent);
                }
                framesSent = s.framesSent();
                bytesSent = s.bytesSent();
                if (s.framesDropped() > dropped) {
                    d.onFramesDropped(s.framesDropped() - dropped);
                }
                dropped = s.framesDropped();
                long newReconnects = s.reconnects() - reconnects;
                reconnects = s.reconnects();
                for (long i = 0; i < newReconnects; i++) {
                    d.onReconnecting(s.lastError());
                }
            }
            StreamState state = switch (s.state()) {
                case STARTING -> StreamState.STARTING;
                case STREAMING -> StreamState.STREAMING;
                case RECONNECTING -> StreamState.RECONNECTING;
                case ERROR -> StreamState.ERROR;
                case STOPPED -> StreamState.STOPPED;
            };
            boolean withError = state == StreamState.RECONNECTING || state == StreamState.ERROR;
            d.state(state, withError ? s.lastError() : null);
        }
    }
}
