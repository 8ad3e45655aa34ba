package io.camrelay.rtmp;

import io.camrelay.media.FlvTag;
import io.camrelay.rtmp.client.RtmpPublisher;
import io.camrelay.rtmp.client.RtmpPublisherState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Hands each exchange's FLV tags to this destination's publisher and returns at once: the route thread never
 * waits for the network. Starting never fails on the network: the producer connects in the background and heals
 * itself (RECONNECTING, or ERROR when the server refuses), so a slow or dead destination never stops the route or
 * another destination. Invalid options fail at endpoint init, a body that is not FlvTag(s) fails its exchange.
 * State and counters: the endpoint's {@code publisherListener}, or {@link #getState()} and {@link #getLastError()}.
 */
public class RtmpProducer extends DefaultAsyncProducer {

    /** How long stopping waits for FCUnpublish/deleteStream to go out and the connection to close. */
    static final long STOP_TIMEOUT_SECONDS = 5;
    /**
     * Micrometer is optional (CamRelay the application has it, a Camel application using the component may not):
     * without it nothing is metered. Checked before {@link RelayLatencyMeters} is touched, which needs it.
     */
    static final boolean MICROMETER_PRESENT = isPresent("io.micrometer.core.instrument.MeterRegistry");

    private volatile RtmpPublisher publisher;

    RtmpProducer(RtmpEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public RtmpEndpoint getEndpoint() {
        return (RtmpEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        RtmpComponent component = getEndpoint().getComponent();
        publisher = new RtmpPublisher(getEndpoint().settings(),
                component.publisherLoop(getEndpoint().getConfiguration().getStreamId()),
                component.resolverExecutor(),
                MICROMETER_PRESENT ? RelayLatencyMeters.lookup(getEndpoint().getCamelContext()) : null);
        publisher.start();
    }

    @Override
    protected void doStop() throws Exception {
        RtmpPublisher p = publisher;
        if (p != null) {
            p.stop().awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            Long receiveNanos = exchange.getMessage().getHeader(RtmpConstants.RECEIVE_TIME_NANOS, Long.class);
            publish(tags(exchange), receiveNanos == null ? Long.MIN_VALUE : receiveNanos);
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    /**
     * Publishes {@code tags} (one picture's, in timestamp order) without an exchange, returning at once; for callers
     * that fan one picture out to several producers.
     *
     * @param receiveNanos {@link System#nanoTime()} when the picture was received (its latency is recorded), or
     *                     {@code Long.MIN_VALUE} when unknown
     * @throws IllegalStateException when the producer is not started
     */
    public void publish(List<FlvTag> tags, long receiveNanos) {
        RtmpPublisher p = publisher;
        if (p == null) {
            throw new IllegalStateException("rtmp producer for " + getEndpoint().getDestination() + " is not started");
        }
        if (tags.isEmpty()) {
            return;
        }
        if (receiveNanos != Long.MIN_VALUE) {
            p.offer(tags, receiveNanos);
        } else {
            p.offer(tags);
        }
    }

    private static List<FlvTag> tags(Exchange exchange) throws InvalidPayloadException {
        Object body = exchange.getMessage().getBody();
        if (body instanceof FlvTag t) {
            return List.of(t);
        }
        if (body instanceof List<?> list) {
            List<FlvTag> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof FlvTag t)) {
                    throw new InvalidPayloadException(exchange, FlvTag.class);
                }
                out.add(t);
            }
            return out;
        }
        throw new InvalidPayloadException(exchange, FlvTag.class);
    }

    /**
     * Republish at a key frame every {@code period} from now on, or never when null or zero (as the endpoint's
     * {@code rotateInterval}, for a setting that changes while the producer runs).
     *
     * @throws IllegalStateException when the producer is not started
     */
    public void rotateEvery(java.time.Duration period) {
        RtmpPublisher p = publisher;
        if (p == null) {
            throw new IllegalStateException("rtmp producer for " + getEndpoint().getDestination() + " is not started");
        }
        p.rotateEvery(period == null ? 0 : period.toMillis());
    }

    /** The destination's state, or STOPPED before start. */
    public RtmpPublisherState getState() {
        RtmpPublisher p = publisher;
        return p == null ? RtmpPublisherState.STOPPED : p.stats().state();
    }

    /** The last error (key masked, with the fix when known), or null. */
    public String getLastError() {
        RtmpPublisher p = publisher;
        return p == null ? null : p.stats().lastError();
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, RtmpProducer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
