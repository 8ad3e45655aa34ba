package io.camrelay.imageserver.session;

import io.camrelay.support.Backoff;
import io.camrelay.imageserver.codec.ImageResponse;
import io.camrelay.imageserver.codec.ImageServerDecoder;
import io.camrelay.imageserver.codec.ImageServerMessage;
import io.camrelay.imageserver.codec.ImageServerRequests;
import io.camrelay.imageserver.codec.XmlMessage;
import io.camrelay.vms.RecorderAddress;
import io.camrelay.vms.UnknownCameraException;
import io.camrelay.vms.VmsAccess;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One camera's ImageServer live session (reference/xprotect-protocols.md §1): resolves the recorder through
 * {@link VmsAccess}, sends {@code connect} and {@code live}, passes every GenericByteData picture to its
 * {@link SessionEvents}, sends {@code connectupdate} on each token renewal without reconnecting, and reconnects with
 * capped exponential back-off and jitter when the session is lost (dropped socket, framing error, no picture for
 * the no-data timeout, camera disconnected from its recorder, token refused). All state lives on one event loop;
 * VMS look-ups, which may block, run on the blocking executor.
 */
public final class ImageServerSession {

    private static final Logger LOG = LoggerFactory.getLogger(ImageServerSession.class);
    /** connect refusal for an expired or unknown token (reference §1.2). */
    static final String TOKEN_INVALID = "Security token invalid";
    /** connect refusal for a camera the recorder does not have (reference §1.2). */
    static final String UNKNOWN_DEVICE = "Unknown device";
    static final String MDC_CAMERA_ID = "cameraId";
    private static final long MAX_WATCHDOG_PERIOD_MS = 1000;
    private static final String TLS_HINT = " (the recording server's certificate was refused: install a certificate "
            + "the JVM trusts on the recorder, or set trustAllCertificates=true for a self-signed one)";

    private final SessionSettings settings;
    private final VmsAccess vms;
    private final EventLoop loop;
    private final Executor blocking;
    private final SessionEvents events;
    private final RecorderTls tls;
    private final Consumer<String> tokenListener = this::tokenRenewed;

    // Confined to the event loop.
    private Channel channel;
    private RecorderAddress recorder;
    private boolean stopping;
    private boolean connected;
    private final Backoff backoff;
    private int nextRequestId;
    private String token;
    private String latestToken;
    private long lastPictureNanos;
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
        this.settings = Objects.requireNonNull(settings, "settings");
        this.backoff = new Backoff(settings.reconnectInitialMs(), settings.reconnectMaxMs());
        this.vms = Objects.requireNonNull(vms, "vms");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.events = Objects.requireNonNull(events, "events");
        this.tls = new RecorderTls(settings.trustAllCertificates());
    }

    /** Starts connecting in the background; failures to connect are retried, never thrown. */
    public void start() {
        vms.addTokenListener(tokenListener);
        onLoop(() -> {
            stopping = false;
            setState(ImageServerSessionState.STARTING, null);
            attempt();
        });
    }

    /** Sends {@code stop} on an open session and closes it; completes when the socket is closed. */
    public CompletableFuture<Void> stop() {
        vms.removeTokenListener(tokenListener);
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            onLoop(() -> {
                stopping = true;
                cancel(retryTask);
                Channel ch = channel;
                boolean sendStop = connected;
                detach(false);
                setState(ImageServerSessionState.STOPPED, null);
                if (ch == null) {
                    done.complete(null);
                    return;
                }
                ch.closeFuture().addListener(f -> done.complete(null));
                if (sendStop && ch.isActive()) {
                    ch.writeAndFlush(request(ImageServerRequests.stop(nextRequestId++))).addListener(f -> ch.close());
                } else {
                    ch.close();
                }
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
        try {
            blocking.execute(this::resolve);
        } catch (RejectedExecutionException e) {
            LOG.debug("VMS look-up executor is shut down; not connecting camera {}", settings.cameraId());
        }
    }

    /** Runs on the blocking executor: the VMS session may log in or ask the Config REST API. */
    private void resolve() {
        try {
            RecorderAddress address = vms.recorderFor(settings.cameraId());
            String vmsToken = vms.vmsToken();
            // Name resolution blocks: do it here, never on the event loop.
            InetSocketAddress target = new InetSocketAddress(address.host(), address.port());
            if (target.isUnresolved()) {
                onLoop(() -> lost("cannot resolve recorder host '" + address.host() + "' of camera "
                        + settings.cameraId() + ": check the recording server's web server address"));
                return;
            }
            onLoop(() -> connect(address, target, vmsToken));
        } catch (UnknownCameraException e) {
            onLoop(() -> problem(SessionProblem.UNKNOWN_DEVICE, e.getMessage(), e));
        } catch (RuntimeException e) {
            onLoop(() -> lost("cannot look up camera " + settings.cameraId() + " in XProtect: " + e.getMessage()));
        }
    }

    private void connect(RecorderAddress address, InetSocketAddress target, String vmsToken) {
        if (stopping) {
            return;
        }
        recorder = address;
        token = vmsToken;
        latestToken = vmsToken;
        connected = false;
        lastPictureNanos = System.nanoTime();
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeoutMs()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (address.tls()) {
                            ch.pipeline().addLast(tls.handler(ch, address));
                        }
                        ch.pipeline().addLast(new ImageServerDecoder(settings.limits()), new Handler());
                    }
                });
        ChannelFuture future;
        try {
            future = bootstrap.connect(target);
        } catch (RuntimeException e) {
            lost("cannot connect to recorder " + describe(address) + ": " + e.getMessage());
            return;
        }
        Channel ch = future.channel();
        channel = ch;
        long period = Math.min(MAX_WATCHDOG_PERIOD_MS, Math.max(1, settings.noDataTimeoutMs() / 4));
        watchdog = loop.scheduleAtFixedRate(() -> inMdc(() -> checkNoData(ch)), period, period, TimeUnit.MILLISECONDS);
        future.addListener(f -> inMdc(() -> {
            if (ch != channel) {
                return;
            }
            if (f.isSuccess()) {
                LOG.debug("connected to recorder {}; sending connect", describe(address));
                ch.writeAndFlush(request(ImageServerRequests.connect(nextRequestId++, settings.cameraId(),
                        settings.streamId(), token)));
            } else {
                lost("cannot connect to recorder " + describe(address) + ": " + f.cause().getMessage());
            }
        }));
    }

    private void checkNoData(Channel ch) {
        if (ch != channel) {
            return;
        }
        long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastPictureNanos);
        if (silentMs >= settings.noDataTimeoutMs()) {
            lost("no picture from recorder " + describe(recorder) + " for " + silentMs + " ms (limit "
                    + settings.noDataTimeoutMs() + " ms)");
        }
    }

    private void onMessage(ImageServerMessage message) {
        if (message instanceof ImageResponse image) {
            onImage(image);
        } else if (message instanceof XmlMessage xml) {
            if (XmlMessage.LIVE_PACKAGE.equals(xml.root())) {
                if (xml.cameraDisconnected()) {
                    lost("camera " + settings.cameraId() + " is disconnected from its recorder (livepackage status "
                            + "item 5 = 1)");
                }
            } else if (XmlMessage.METHOD_RESPONSE.equals(xml.root())) {
                onMethodResponse(xml);
            }
        }
    }

    private void onMethodResponse(XmlMessage response) {
        String reason = response.field("errorreason").orElse("").trim();
        switch (response.methodName().toLowerCase(Locale.ROOT)) {
            case "connect" -> {
                if (response.connected()) {
                    connected = true;
                    LOG.debug("recorder accepted connect; sending live");
                    channel.writeAndFlush(request(ImageServerRequests.live(nextRequestId++)));
                    sendConnectUpdateIfRenewed();
                } else if (TOKEN_INVALID.equalsIgnoreCase(reason)) {
                    String rejected = token;
                    runBlocking(() -> vms.tokenRejected(rejected));
                    lost("recorder " + describe(recorder) + " refused the VMS token (" + TOKEN_INVALID
                            + "); logging in again");
                } else if (UNKNOWN_DEVICE.equalsIgnoreCase(reason)) {
                    UnknownCameraException unknown = new UnknownCameraException(settings.cameraId(), "recorder "
                            + describe(recorder) + " answered '" + UNKNOWN_DEVICE + "'; is the camera enabled on it?");
                    problem(SessionProblem.UNKNOWN_DEVICE, unknown.getMessage(), unknown);
                } else {
                    lost("recorder " + describe(recorder) + " refused connect for camera " + settings.cameraId()
                            + " (" + (reason.isEmpty() ? "no reason given" : reason) + ")");
                }
            }
            case "connectupdate" -> {
                if (!response.connected()) {
                    lost("recorder " + describe(recorder) + " refused connectupdate with the renewed token ("
                            + (reason.isEmpty() ? "no reason given" : reason) + ")");
                } else {
                    LOG.debug("recorder accepted connectupdate");
                }
            }
            default -> {
                if (response.field("connected").isPresent() && !response.connected()) {
                    lost("recorder " + describe(recorder) + " refused " + response.methodName() + " ("
                            + (reason.isEmpty() ? "no reason given" : reason) + ")");
                }
            }
        }
    }

    private void onImage(ImageResponse image) {
        byte[] body = image.body();
        long now = System.nanoTime();
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
                lost("recorder " + describe(recorder) + " sent " + Payload.describe(body));
                return;
            }
            case VIDEO_PACKET -> {
                // passed on below
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
            LOG.info("camera {} streaming from recorder {}", settings.cameraId(), describe(recorder));
            setState(ImageServerSessionState.STREAMING, null);
        }
        events.picture(body, now);
    }

    private void tokenRenewed(String newToken) {
        try {
            onLoop(() -> {
                latestToken = newToken;
                if (connected) {
                    sendConnectUpdateIfRenewed();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("event loop shut down; token renewal not forwarded");
        }
    }

    private void sendConnectUpdateIfRenewed() {
        if (channel == null || latestToken == null || latestToken.equals(token)) {
            return;
        }
        token = latestToken;
        LOG.debug("VMS token renewed; sending connectupdate");
        channel.writeAndFlush(request(ImageServerRequests.connectUpdate(nextRequestId++, settings.cameraId(),
                token)));
    }

    /** The session is lost: close it and try again after a back-off. */
    private void lost(String reason) {
        if (stopping) {
            return;
        }
        detach(true);
        if (state != ImageServerSessionState.RECONNECTING) {
            LOG.warn("ImageServer session of camera {} lost, reconnecting: {}", settings.cameraId(), reason);
        } else {
            LOG.debug("reconnect attempt failed: {}", reason);
        }
        lastError = reason;
        reconnects++;
        setState(ImageServerSessionState.RECONNECTING, reason);
        scheduleRetry(backoff());
    }

    /** A dead end for reconnecting: report it and try again only after the longest back-off. */
    private void problem(SessionProblem problem, String message, RuntimeException cause) {
        if (stopping) {
            return;
        }
        detach(true);
        if (state != ImageServerSessionState.ERROR || !message.equals(lastError)) {
            LOG.error("{}", message);
        }
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

    private long backoff() {
        return backoff.nextDelayMillis();
    }

    private void detach(boolean close) {
        cancel(watchdog);
        watchdog = null;
        Channel ch = channel;
        channel = null;
        connected = false;
        if (close && ch != null) {
            ch.close();
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

    private void runBlocking(Runnable task) {
        try {
            blocking.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("VMS executor shut down; {} dropped", task);
        }
    }

    private void onLoop(Runnable task) {
        loop.execute(() -> inMdc(task));
    }

    private void inMdc(Runnable task) {
        String previous = MDC.get(MDC_CAMERA_ID);
        MDC.put(MDC_CAMERA_ID, settings.cameraId());
        try {
            task.run();
        } finally {
            if (previous == null) {
                MDC.remove(MDC_CAMERA_ID);
            } else {
                MDC.put(MDC_CAMERA_ID, previous);
            }
        }
    }

    private static io.netty.buffer.ByteBuf request(String xml) {
        return Unpooled.wrappedBuffer(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static String describe(RecorderAddress address) {
        return address == null ? "(unknown)" : (address.tls() ? "tls://" : "tcp://") + address.host() + ":"
                + address.port();
    }

    private static boolean tlsRefused(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Inbound end of the pipeline; ignores events of channels the session has already let go. */
    private final class Handler extends SimpleChannelInboundHandler<ImageServerMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ImageServerMessage msg) {
            if (msg instanceof ImageResponse image && state == ImageServerSessionState.STREAMING
                    && ctx.channel() == channel && Payload.classify(image.body()) == Payload.VIDEO_PACKET) {
                // the per-picture path logs nothing: no MDC map copied and restored for every picture
                deliver(image.body(), System.nanoTime());
                return;
            }
            inMdc(() -> {
                if (ctx.channel() == channel) {
                    onMessage(msg);
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inMdc(() -> {
                if (ctx.channel() == channel) {
                    lost("recorder " + describe(recorder) + " closed the connection");
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            inMdc(() -> {
                if (ctx.channel() == channel) {
                    lost("ImageServer session with recorder " + describe(recorder) + " failed: " + cause.getMessage()
                            + (tlsRefused(cause) ? TLS_HINT : ""));
                }
            });
            ctx.close();
        }
    }
}
