package io.camrelay.imageserver.session;

import io.camrelay.imageserver.codec.ImageResponse;
import io.camrelay.imageserver.codec.ImageServerRequests;
import io.camrelay.imageserver.codec.XmlMessage;
import io.camrelay.support.Backoff;
import io.camrelay.vms.RecorderAddress;
import io.camrelay.vms.VmsAccess;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's ImageServer live session (docs/protocols.md §1): on each {@link RecorderConnection} the
 * recorder accepts it sends {@code live} and passes every GenericByteData picture to its {@link SessionEvents}; it
 * reconnects with capped exponential back-off and jitter when the session is lost (dropped socket, framing error, no
 * picture for the no-data timeout, token refused). A camera the recorder reports disconnected from it keeps the
 * socket open and waits, reported as {@link ImageServerSessionState#CAMERA_DISCONNECTED}. All state lives on one event
 * loop; the connection resolves the recorder on the blocking executor and renews the token on the open socket.
 */
public final class ImageServerSession {

    private static final Logger LOG = LoggerFactory.getLogger(ImageServerSession.class);
    private static final long MAX_WATCHDOG_PERIOD_MS = 1000;
    /** What a recorder says of a camera it lost (docs/protocols.md §1.3), with the fix; {@code %s} is the camera. */
    static final String CAMERA_DISCONNECTED = "camera %s is disconnected from its recorder (livepackage status item 5 "
            + "= 1): the recorder has no pictures of it; check the camera's power and network, and its state in the "
            + "Management Client; CamRelay resumes when the recorder has pictures again";
    /** livepackage status item 5's value when the camera is connected to the recorder. */
    private static final int STATUS_VALUE_CONNECTED = 0;

    private final SessionSettings settings;
    private final VmsAccess vms;
    private final EventLoop loop;
    private final Executor blocking;
    private final SessionEvents events;
    private final RecorderTls tls;
    private final RecorderDialer dialer;
    /** System.nanoTime in production: picture receive times and the no-data watchdog. */
    private final LongSupplier nanoClock;
    private final ConnectionEvents link = new Link();

    // Confined to the event loop.
    private RecorderConnection connection;
    private RecorderAddress recorder;
    private boolean stopping;
    private final Backoff backoff;
    /** Since the last picture, or the last livepackage saying the camera is disconnected from its recorder. */
    private long lastPictureNanos;
    /** The recorder said the camera is disconnected and no picture came since, over reconnects too. */
    private boolean cameraAway;
    private String stateReason;
    private ScheduledFuture<?> retryTask;
    private ScheduledFuture<?> watchdog;

    // Written on the event loop, read by status and health checks.
    private volatile ImageServerSessionState state = ImageServerSessionState.STOPPED;
    private volatile String lastError;
    private volatile long pictures;
    private volatile long bytes;
    private volatile long reconnects;

    public ImageServerSession(SessionSettings settings, VmsAccess vms, EventLoop loop, Executor blocking,
            SessionEvents events) {
        this(settings, vms, loop, blocking, events,
                RecorderDialer.tcp(loop, Objects.requireNonNull(settings, "settings").connectTimeoutMs()),
                System::nanoTime);
    }

    /** The test seam: sockets from {@code dialer} (e.g. EmbeddedChannels), time from {@code nanoClock}. */
    ImageServerSession(SessionSettings settings, VmsAccess vms, EventLoop loop, Executor blocking,
            SessionEvents events, RecorderDialer dialer, LongSupplier nanoClock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.backoff = new Backoff(settings.reconnectInitialMs(), settings.reconnectMaxMs());
        this.vms = Objects.requireNonNull(vms, "vms");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.events = Objects.requireNonNull(events, "events");
        this.tls = new RecorderTls(settings.trustAllCertificates());
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Starts connecting in the background; failures to connect are retried, never thrown. */
    public void start() {
        onLoop(() -> {
            stopping = false;
            setState(ImageServerSessionState.STARTING, null);
            attempt();
        });
    }

    /** Sends {@code stop} on an open session and closes it; completes when the socket is closed. */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            onLoop(() -> {
                stopping = true;
                cancel(retryTask);
                RecorderConnection open = detach();
                setState(ImageServerSessionState.STOPPED, null);
                if (open == null) {
                    done.complete(null);
                    return;
                }
                open.close(ImageServerRequests::stop).whenComplete((ignored, error) -> done.complete(null));
            });
        } catch (RejectedExecutionException e) {
            done.complete(null);
        }
        return done;
    }

    public ImageServerSessionState state() {
        return state;
    }

    /** The last reason the session was lost or failed (no secrets), or null. */
    public String lastError() {
        return lastError;
    }

    public long picturesReceived() {
        return pictures;
    }

    public long bytesReceived() {
        return bytes;
    }

    public long reconnectCount() {
        return reconnects;
    }

    private void attempt() {
        retryTask = null;
        if (stopping) {
            return;
        }
        RecorderConnection next = new RecorderConnection(settings, vms, loop, blocking, tls, dialer, link);
        connection = next;
        next.open();
    }

    private void checkNoData(RecorderConnection watched) {
        if (watched != connection) {
            return;
        }
        long silentMs = TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - lastPictureNanos);
        if (silentMs >= settings.noDataTimeoutMs()) {
            // a camera the recorder reported disconnected stays reported as such, not as a generic silence
            lost(cameraAway ? cameraDisconnected() : "no picture from recorder " + RecorderConnection.describe(recorder)
                    + " for " + silentMs + " ms (limit " + settings.noDataTimeoutMs() + " ms)");
        }
    }

    private void onImage(ImageResponse image) {
        byte[] body = image.body();
        long now = nanoClock.getAsLong();
        switch (Payload.classify(body)) {
            case EMPTY -> {
                return; // an empty response carries no picture (§1.5)
            }
            case JPEG -> {
                problem(SessionProblem.UNSUPPORTED_PAYLOAD, "camera " + settings.cameraId() + " sends JPEG "
                        + "pictures, not H.264 video: set the camera's stream to H.264 in the Management Client and "
                        + "make sure CamRelay is not asking for JPEG (alwaysstdjpeg=no)", null);
                return;
            }
            case NOT_VIDEO_PACKET -> {
                problem(SessionProblem.UNSUPPORTED_PAYLOAD, "camera " + settings.cameraId() + " sends "
                        + Payload.describe(body) + ", not GenericByteData video stream packets: set the camera's "
                        + "stream to H.264 in the Management Client and make sure CamRelay is not asking for JPEG",
                        null);
                return;
            }
            case LENGTH_MISMATCH -> {
                lost("recorder " + RecorderConnection.describe(recorder) + " sent " + Payload.describe(body));
                return;
            }
            case VIDEO_PACKET, OTHER_PACKET -> {
                // passed on below; the route walks a multi-packet wrapper and skips other data types
            }
            default -> throw new IllegalStateException();
        }
        deliver(body, now);
    }

    /** Passes a GenericByteData video packet on; the first one of a connection marks the session STREAMING. */
    private void deliver(byte[] body, long now) {
        lastPictureNanos = now;
        backoff.reset();
        pictures++;
        bytes += body.length;
        if (state != ImageServerSessionState.STREAMING) {
            LOG.info("camera {} streaming from recorder {}", settings.cameraId(), RecorderConnection.describe(recorder));
            cameraAway = false;
            setState(ImageServerSessionState.STREAMING, null);
        }
        events.picture(body, now);
    }

    /**
     * A livepackage (docs/protocols.md §1.3). One saying the camera is disconnected from its recorder keeps the
     * socket: reconnecting cannot bring a camera back, and the recorder pushes its pictures again when it has them.
     * Each such package shows the recorder is alive and explains the silence, so it holds off the no-data timeout;
     * once one says the camera is connected again, pictures are due within that timeout.
     */
    private void onLivePackage(XmlMessage status) {
        if (status.cameraDisconnected()) {
            lastPictureNanos = nanoClock.getAsLong();
            if (state != ImageServerSessionState.CAMERA_DISCONNECTED) {
                String reason = cameraDisconnected();
                if (!cameraAway) {
                    LOG.warn("{}", reason);
                }
                cameraAway = true;
                lastError = reason;
                setState(ImageServerSessionState.CAMERA_DISCONNECTED, reason);
            }
        } else if (cameraAway && Integer.valueOf(STATUS_VALUE_CONNECTED).equals(
                status.statusItems().get(XmlMessage.STATUS_CAMERA_DISCONNECTED))) {
            LOG.info("recorder {} reports camera {} connected again; waiting for its pictures",
                    RecorderConnection.describe(recorder), settings.cameraId());
        }
    }

    private String cameraDisconnected() {
        return String.format(java.util.Locale.ROOT, CAMERA_DISCONNECTED, settings.cameraId());
    }

    /** The session is lost: close it and try again after a back-off. */
    private void lost(String reason) {
        if (stopping) {
            return;
        }
        closeConnection();
        boolean warned = state == ImageServerSessionState.RECONNECTING
                || (state == ImageServerSessionState.CAMERA_DISCONNECTED && reason.equals(lastError));
        if (!warned) {
            LOG.warn("ImageServer session of camera {} lost, reconnecting: {}", settings.cameraId(), reason);
        } else {
            LOG.debug("reconnect attempt failed: {}", reason);
        }
        lastError = reason;
        reconnects++;
        setState(ImageServerSessionState.RECONNECTING, reason);
        scheduleRetry(backoff.nextDelayMillis());
    }

    /** A dead end for reconnecting: report it and try again only after the longest back-off. */
    private void problem(SessionProblem problem, String message, RuntimeException cause) {
        if (stopping) {
            return;
        }
        closeConnection();
        // the owner reports it (the consumer hands it to the route's exception handler, which logs it once per
        // episode): an ERROR line here would say it twice
        LOG.debug("{}", message);
        lastError = message;
        reconnects++;
        setState(ImageServerSessionState.ERROR, message);
        events.problem(problem, message, cause);
        scheduleRetry(settings.reconnectMaxMs());
    }

    private void scheduleRetry(long delayMs) {
        cancel(retryTask);
        retryTask = loop.schedule(() -> inMdc(this::attempt), delayMs, TimeUnit.MILLISECONDS);
    }

    /** Lets go of the connection (without closing it) and stops watching it. */
    private RecorderConnection detach() {
        cancel(watchdog);
        watchdog = null;
        RecorderConnection open = connection;
        connection = null;
        return open;
    }

    private void closeConnection() {
        RecorderConnection open = detach();
        if (open != null) {
            open.close();
        }
    }

    /** Reports a change of state, or a new reason within RECONNECTING / ERROR, to the owner. */
    private void setState(ImageServerSessionState next, String reason) {
        ImageServerSessionState previous = state;
        String previousReason = stateReason;
        state = next;
        stateReason = reason;
        if (previous != next || !Objects.equals(previousReason, reason)) {
            events.stateChanged(next, reason);
        }
    }

    private void onLoop(Runnable task) {
        loop.execute(() -> inMdc(task));
    }

    private void inMdc(Runnable task) {
        CameraMdc.run(settings.cameraId(), task);
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** What the current connection reports; a closed connection reports nothing, so no event here is stale. */
    private final class Link implements ConnectionEvents {
        @Override
        public void connecting(RecorderAddress address) {
            recorder = address;
            lastPictureNanos = nanoClock.getAsLong();
            RecorderConnection watched = connection;
            long period = Math.min(MAX_WATCHDOG_PERIOD_MS, Math.max(1, settings.noDataTimeoutMs() / 4));
            watchdog = loop.scheduleAtFixedRate(() -> inMdc(() -> checkNoData(watched)), period, period,
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public void connected() {
            LOG.debug("recorder accepted connect; sending live");
            connection.send(ImageServerRequests::live);
        }

        @Override
        public void image(ImageResponse image) {
            if (state == ImageServerSessionState.STREAMING && Payload.classify(image.body()) == Payload.VIDEO_PACKET) {
                // the per-picture path logs nothing: no MDC map copied and restored for every picture
                deliver(image.body(), nanoClock.getAsLong());
                return;
            }
            inMdc(() -> onImage(image));
        }

        @Override
        public void document(XmlMessage document) {
            if (XmlMessage.LIVE_PACKAGE.equals(document.root())) {
                onLivePackage(document);
            }
        }

        @Override
        public void lost(String reason) {
            ImageServerSession.this.lost(reason);
        }

        @Override
        public void problem(SessionProblem problem, String message, RuntimeException cause) {
            ImageServerSession.this.problem(problem, message, cause);
        }
    }
}
