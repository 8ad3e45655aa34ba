package io.camrelay.imageserver;

import io.camrelay.imageserver.session.ImageServerSession;
import io.camrelay.imageserver.session.ImageServerSessionState;
import io.camrelay.imageserver.session.SessionEvents;
import io.camrelay.imageserver.session.SessionProblem;
import io.camrelay.vms.UnknownCameraException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one ImageServer live session to the camera's recorder and emits one exchange per GenericByteData picture.
 *
 * <p>The recorder being unreachable at start does not fail the route: the session starts in the background and
 * reconnects with back-off, reported as {@link ImageServerSessionState#RECONNECTING} and a DOWN health check, the same
 * regime as a loss at run time (one outage handling whether it begins before or after start; a Camel Main without a
 * supervising route controller would otherwise refuse to start all streams because one recorder is down). What
 * reconnecting cannot heal (unknown camera, JPEG stream, a privacy mask) goes to the exception handler, so routes
 * with {@code bridgeErrorHandler=true} see it, and is retried only after the longest back-off. A picture whose
 * response says the camera has a privacy mask never becomes an exchange ({@link PrivacyMaskException}).
 */
public class XProtectConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(XProtectConsumer.class);
    private static final long STOP_TIMEOUT_MS = 5000;

    private volatile ImageServerSession session;

    public XProtectConsumer(XProtectEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public XProtectEndpoint getEndpoint() {
        return (XProtectEndpoint) super.getEndpoint();
    }

    @Override
    protected void doBuild() throws Exception {
        super.doBuild();
        setHealthCheck(new XProtectConsumerHealthCheck(this, "consumer:" + getRouteId()));
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        XProtectEndpoint endpoint = getEndpoint();
        ImageServerSession created = new ImageServerSession(endpoint.sessionSettings(),
                endpoint.getConfiguration().getVmsAccess(), endpoint.getComponent().liveLoop(getRouteId()),
                endpoint.getComponent().vmsExecutor(), new Events());
        session = created;
        created.start();
    }

    @Override
    protected void doStop() throws Exception {
        ImageServerSession stopping = session;
        if (stopping != null) {
            try {
                stopping.stop().get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("ImageServer session of camera {} did not close within {} ms", getCameraId(),
                        STOP_TIMEOUT_MS);
            }
        }
        super.doStop();
    }

    /** The camera this consumer receives. */
    public String getCameraId() {
        return getEndpoint().getCameraId();
    }

    /** The session state; STOPPED before start. */
    public ImageServerSessionState getState() {
        ImageServerSession current = session;
        return current == null ? ImageServerSessionState.STOPPED : current.state();
    }

    /** Why the session was last lost or failed (what, value, fix; never a secret), or null. */
    public String getLastError() {
        ImageServerSession current = session;
        return current == null ? null : current.lastError();
    }

    /** Pictures received since start. */
    public long getFramesReceived() {
        ImageServerSession current = session;
        return current == null ? 0 : current.picturesReceived();
    }

    /** GenericByteData bytes received since start. */
    public long getBytesReceived() {
        ImageServerSession current = session;
        return current == null ? 0 : current.bytesReceived();
    }

    /** Sessions lost (and retried) since start. */
    public long getReconnectCount() {
        ImageServerSession current = session;
        return current == null ? 0 : current.reconnectCount();
    }

    private void emit(byte[] packet, long receiveNanos) {
        Exchange exchange = createExchange(true);
        Message in = exchange.getIn();
        in.setBody(packet);
        in.setHeader(XProtectConstants.CAMERA_ID, getCameraId());
        in.setHeader(XProtectConstants.RECEIVE_TIME_NANOS, receiveNanos);
        getAsyncProcessor().process(exchange, defaultConsumerCallback(exchange, true));
    }

    private void escalate(SessionProblem problem, String message, RuntimeException cause) {
        RuntimeException error;
        switch (problem) {
            case UNKNOWN_DEVICE -> error = cause != null ? cause : new UnknownCameraException(getCameraId(), message);
            case PRIVACY_MASK -> error = new PrivacyMaskException(getCameraId(), message);
            default -> error = new UnsupportedPayloadException(getCameraId(), message);
        }
        // Off the event loop: with bridgeErrorHandler the exception handler runs a whole error route.
        try {
            getEndpoint().getComponent().vmsExecutor().execute(() -> getExceptionHandler().handleException(
                    "xprotect:" + getCameraId() + " cannot stream", error));
        } catch (RejectedExecutionException e) {
            LOG.debug("component stopping; not escalating: {}", message);
        }
    }

    /** Bridges session events (on the event loop) to Camel. */
    private final class Events implements SessionEvents {
        @Override
        public void picture(byte[] packet, long receiveNanos) {
            emit(packet, receiveNanos);
        }

        @Override
        public void stateChanged(ImageServerSessionState state, String reason) {
            XProtectSessionListener listener = getEndpoint().getConfiguration().getSessionListener();
            if (listener != null) {
                try {
                    listener.stateChanged(XProtectConsumer.this, state, reason);
                } catch (RuntimeException e) {
                    LOG.warn("session listener {} failed on {}: {}", listener, state, e.toString());
                }
            }
        }

        @Override
        public void problem(SessionProblem problem, String message, RuntimeException cause) {
            escalate(problem, message, cause);
        }
    }
}
