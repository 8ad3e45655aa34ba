package io.camrelay.imageserver;

import io.camrelay.imageserver.session.PlaybackEvents;
import io.camrelay.imageserver.session.PlaybackSession;
import io.camrelay.imageserver.session.SessionProblem;
import io.camrelay.vms.UnknownCameraException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code xprotect:<camera>?mode=playback&from=…&to=…}: reads the camera's recording over the range with a
 * {@link PlaybackSession} (goto, pipelined next) and emits one exchange per picture in decode order, with the live
 * consumer's headers, then a last exchange with an empty body and {@link XProtectConstants#PLAYBACK_END}; nothing
 * follows it. The route runs on this consumer's own thread, never on a Netty event loop, so its steps may block
 * (write files). Pictures wait in a queue bounded in bytes ({@code maxQueuedBytes}); while it is full no further
 * request goes to the recorder, so memory stays bounded whatever the range. A failure (privacy mask, unknown camera,
 * JPEG, a lost recorder) comes after the pictures before it and goes to the exception handler (routes with
 * {@code bridgeErrorHandler=true} see it); the playback is not retried.
 */
public class XProtectPlaybackConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(XProtectPlaybackConsumer.class);
    private static final long STOP_TIMEOUT_MS = 5000;
    private static final byte[] NO_BODY = new byte[0];

    /** What waits for the route: a picture, the end, or a failure. */
    private sealed interface Item permits Picture, End, Failure {
    }

    private record Picture(byte[] packet, long receiveNanos) implements Item {
    }

    private record End(PlaybackSession.End end) implements Item {
    }

    private record Failure(RuntimeException error) implements Item {
    }

    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private volatile PlaybackSession session;
    private volatile boolean ended;
    private ExecutorService worker;

    public XProtectPlaybackConsumer(XProtectEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public XProtectEndpoint getEndpoint() {
        return (XProtectEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        XProtectEndpoint endpoint = getEndpoint();
        queue.clear();
        queuedBytes.set(0);
        ended = false;
        worker = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this,
                "XProtectPlayback-" + getCameraId());
        PlaybackSession created = new PlaybackSession(endpoint.sessionSettings(), endpoint.playbackSettings(),
                endpoint.getConfiguration().getVmsAccess(), endpoint.getComponent().eventLoopGroup().next(),
                endpoint.getComponent().vmsExecutor(), new Events());
        session = created;
        worker.execute(this::drain);
        created.start();
    }

    @Override
    protected void doStop() throws Exception {
        PlaybackSession stopping = session;
        if (stopping != null) {
            try {
                stopping.stop().get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("ImageServer playback of camera {} did not close within {} ms", getCameraId(),
                        STOP_TIMEOUT_MS);
            }
        }
        if (worker != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(worker);
            worker = null;
        }
        queue.clear();
        super.doStop();
    }

    /** The camera whose recording this consumer reads. */
    public String getCameraId() {
        return getEndpoint().getCameraId();
    }

    /** Pictures received from the recorder since start. */
    public long getFramesReceived() {
        PlaybackSession current = session;
        return current == null ? 0 : current.picturesReceived();
    }

    /** The picture time of the last picture received, ms UTC (recorder clock), or Long.MIN_VALUE before the first. */
    public long getLastPictureTime() {
        PlaybackSession current = session;
        return current == null ? Long.MIN_VALUE : current.lastPictureTime();
    }

    /** Whether the input has ended (its last exchange went to the route, or it failed). */
    public boolean isEnded() {
        return ended;
    }

    /** Runs the route, one item at a time, on the consumer's thread until the end or a failure. */
    private void drain() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Item item = queue.take();
                if (item instanceof Picture p) {
                    long left = queuedBytes.addAndGet(-p.packet().length);
                    if (left <= getEndpoint().getConfiguration().getMaxQueuedBytes() / 2 && paused.compareAndSet(true,
                            false)) {
                        PlaybackSession current = session;
                        if (current != null) {
                            current.resume();
                        }
                    }
                    run(p.packet(), p.receiveNanos(), null);
                } else if (item instanceof End e) {
                    ended = true;
                    run(NO_BODY, System.nanoTime(), e.end());
                    return;
                } else if (item instanceof Failure f) {
                    ended = true;
                    getExceptionHandler().handleException("xprotect:" + getCameraId() + " playback failed",
                            f.error());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(byte[] body, long receiveNanos, PlaybackSession.End end) {
        Exchange exchange = createExchange(false);
        Message in = exchange.getIn();
        in.setBody(body);
        in.setHeader(XProtectConstants.CAMERA_ID, getCameraId());
        in.setHeader(XProtectConstants.RECEIVE_TIME_NANOS, receiveNanos);
        if (end != null) {
            in.setHeader(XProtectConstants.PLAYBACK_END, end.name());
            exchange.setProperty(Exchange.BATCH_COMPLETE, true);
        }
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("xprotect:" + getCameraId() + " playback: the route failed",
                    exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    private RuntimeException error(SessionProblem problem, String message, RuntimeException cause) {
        if (problem == null) {
            return new PlaybackFailedException(getCameraId(), message);
        }
        return switch (problem) {
            case UNKNOWN_DEVICE -> cause != null ? cause : new UnknownCameraException(getCameraId(), message);
            case PRIVACY_MASK -> new PrivacyMaskException(getCameraId(), message);
            default -> new UnsupportedPayloadException(getCameraId(), message);
        };
    }

    /** Bridges the session (on its event loop) to the queue; never blocks. */
    private final class Events implements PlaybackEvents {
        @Override
        public void picture(byte[] packet, long receiveNanos) {
            queuedBytes.addAndGet(packet.length);
            queue.add(new Picture(packet, receiveNanos));
        }

        @Override
        public boolean wantsMore() {
            if (queuedBytes.get() < getEndpoint().getConfiguration().getMaxQueuedBytes()) {
                return true;
            }
            paused.set(true);
            // the route may have drained it meanwhile: look again, so no resume is missed
            return queuedBytes.get() < getEndpoint().getConfiguration().getMaxQueuedBytes() / 2
                    && paused.compareAndSet(true, false);
        }

        @Override
        public void finished(PlaybackSession.End end) {
            queue.add(new End(end));
        }

        @Override
        public void failed(SessionProblem problem, String message, RuntimeException cause) {
            queue.add(new Failure(error(problem, message, cause)));
        }
    }
}
