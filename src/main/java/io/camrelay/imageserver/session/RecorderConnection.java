package io.camrelay.imageserver.session;

import io.camrelay.support.Causes;
import io.camrelay.imageserver.codec.ImageResponse;
import io.camrelay.imageserver.codec.ImageServerDecoder;
import io.camrelay.imageserver.codec.ImageServerMessage;
import io.camrelay.imageserver.codec.ImageServerRequests;
import io.camrelay.imageserver.codec.XmlMessage;
import io.camrelay.vms.RecorderAddress;
import io.camrelay.vms.UnknownCameraException;
import io.camrelay.vms.VmsAccess;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
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
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated ImageServer socket of one camera (docs/protocols.md §1.1-1.2, §1.4): resolves the
 * recorder and the VMS token through {@link VmsAccess} on the blocking executor, opens the socket (TLS when the
 * recorder's URI is https), sends {@code connect} and reads its reply, and sends {@code connectupdate} on every token
 * renewal without reconnecting. Its owner sends the requests that follow ({@code live}, or {@code goto} and pipelined
 * {@code next}s, §8.1) with {@link #send} and reads the replies and pushes, in wire order, through
 * {@link ConnectionEvents}; the connection knows none of them. A response whose {@code PrivacyMask} is not
 * {@code none} is never passed on: it is the {@link SessionProblem#PRIVACY_MASK} problem, for live and playback
 * alike (docs/protocols.md §1.5). One attempt: once lost or closed it stays closed and reports nothing more. Its
 * state lives on the event loop: call it there.
 */
final class RecorderConnection {

    private static final Logger LOG = LoggerFactory.getLogger(RecorderConnection.class);
    /** connect refusal for an expired or unknown token (docs/protocols.md §1.2). */
    static final String TOKEN_INVALID = "Security token invalid";
    /** connect refusal for a camera the recorder does not have (docs/protocols.md §1.2). */
    static final String UNKNOWN_DEVICE = "Unknown device";
    /** methodname of the reply to connect (§1.2). */
    static final String CONNECT = "connect";
    /** methodname of the reply to connectupdate (§1.4). */
    static final String CONNECT_UPDATE = "connectupdate";
    /**
     * How long {@link #close(IntFunction)} waits for the farewell to get out before closing anyway: a recorder that
     * stopped reading never takes it. Well below the consumer's stop timeout (5 s).
     */
    static final long FAREWELL_GRACE_MS = 2000;
    private static final String NO_REASON = "no reason given";
    private static final String TLS_HINT = " (the recording server's certificate was refused: install a certificate "
            + "the JVM trusts on the recorder, or set trustAllCertificates=true for a self-signed one)";

    private final SessionSettings settings;
    private final VmsAccess vms;
    private final EventLoop loop;
    private final Executor blocking;
    private final RecorderTls tls;
    private final RecorderDialer dialer;
    private final ConnectionEvents events;
    private final Consumer<String> tokenListener = this::tokenRenewed;

    // Confined to the event loop.
    private boolean closed;
    private Channel channel;
    private RecorderAddress recorder;
    private boolean authenticated;
    private int nextRequestId;
    private String token;
    private String latestToken;

    /**
     * @param settings the camera, its stream and the wire limits
     * @param loop     the event loop all state and every callback is confined to
     * @param blocking where VMS look-ups run (they may log in or ask the Config REST API)
     * @param tls      the TLS context towards recorders, shared by the session's successive connections
     */
    RecorderConnection(SessionSettings settings, VmsAccess vms, EventLoop loop, Executor blocking, RecorderTls tls,
            RecorderDialer dialer, ConnectionEvents events) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.vms = Objects.requireNonNull(vms, "vms");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Starts resolving, connecting and authenticating in the background; the outcome arrives as events. */
    void open() {
        if (closed) {
            return;
        }
        vms.addTokenListener(tokenListener);
        try {
            blocking.execute(this::resolve);
        } catch (RejectedExecutionException e) {
            LOG.debug("VMS look-up executor is shut down; not connecting camera {}", settings.cameraId());
        }
    }

    /**
     * Writes one request after the recorder accepted {@code connect}, numbered in the order sent; the recorder
     * answers in that order (§8.1), so several may be in flight.
     *
     * @param request the request for a given request id, e.g. {@code ImageServerRequests::live}
     */
    void send(IntFunction<String> request) {
        if (!authenticated) {
            throw new IllegalStateException("ImageServer request for camera " + settings.cameraId() + " on a "
                    + (closed ? "closed connection" : "connection the recorder has not accepted yet")
                    + " (expected: after ConnectionEvents.connected(), before close)");
        }
        write(request.apply(nextRequestId++));
    }

    /** Closes the socket (if any) without reporting a loss; see {@link #close(IntFunction)}. */
    CompletableFuture<Void> close() {
        return close(null);
    }

    /**
     * Closes the socket without reporting a loss, after writing {@code farewell} when the recorder had accepted
     * {@code connect} and the socket is still open (e.g. {@code stop}, §1.6), or after {@link #FAREWELL_GRACE_MS}
     * when the farewell cannot get out. Closing twice does nothing more.
     *
     * @param farewell the last request, or null for none
     * @return completes when the socket is closed (at once when none was opened)
     */
    CompletableFuture<Void> close(IntFunction<String> farewell) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel ch = channel;
        boolean sayFarewell = farewell != null && authenticated;
        closed = true;
        channel = null;
        authenticated = false;
        vms.removeTokenListener(tokenListener);
        if (ch == null) {
            done.complete(null);
            return done;
        }
        ch.closeFuture().addListener(f -> done.complete(null));
        if (sayFarewell && ch.isActive()) {
            ch.writeAndFlush(request(farewell.apply(nextRequestId++))).addListener(f -> ch.close());
            // A recorder that stopped reading never takes the farewell: close anyway, or the socket is never released
            ScheduledFuture<?> force = loop.schedule(() -> {
                if (ch.isOpen()) {
                    inMdc(() -> LOG.debug("farewell to recorder not flushed within {} ms; closing anyway",
                            FAREWELL_GRACE_MS));
                    ch.close();
                }
            }, FAREWELL_GRACE_MS, TimeUnit.MILLISECONDS);
            ch.closeFuture().addListener(f -> force.cancel(false));
        } else {
            ch.close();
        }
        return done;
    }

    /** Runs on the blocking executor: the VMS session may log in or ask the Config REST API. */
    private void resolve() {
        try {
            RecorderAddress address = vms.recorderFor(settings.cameraId());
            String vmsToken = vms.vmsToken();
            // Name resolution blocks: do it here, never on the event loop.
            InetSocketAddress target = new InetSocketAddress(address.host(), address.port());
            if (target.isUnresolved()) {
                vms.recorderFailed(settings.cameraId());
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
        if (closed) {
            return;
        }
        recorder = address;
        token = vmsToken;
        latestToken = vmsToken;
        events.connecting(address);
        ChannelFuture future;
        try {
            future = dialer.dial(target, new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (address.tls()) {
                        ch.pipeline().addLast(tls.handler(ch, address));
                    }
                    ch.pipeline().addLast(new ImageServerDecoder(settings.limits()), new Handler());
                }
            });
        } catch (RuntimeException e) {
            unreachable();
            lost("cannot connect to recorder " + describe(address) + ": " + e.getMessage());
            return;
        }
        Channel ch = future.channel();
        channel = ch;
        future.addListener(f -> inMdc(() -> {
            if (ch != channel) {
                return;
            }
            if (f.isSuccess()) {
                LOG.debug("connected to recorder {}; sending connect", describe(address));
                write(ImageServerRequests.connect(nextRequestId++, settings.cameraId(), settings.streamId(), token));
            } else {
                unreachable();
                lost("cannot connect to recorder " + describe(address) + ": " + f.cause().getMessage());
            }
        }));
    }

    private void onDocument(XmlMessage xml) {
        if (XmlMessage.METHOD_RESPONSE.equals(xml.root()) && onMethodResponse(xml)) {
            return;
        }
        events.document(xml);
    }

    /** Handles the replies that are the connection's business; false for one its owner reads. */
    private boolean onMethodResponse(XmlMessage response) {
        String reason = response.field("errorreason").orElse("").trim();
        switch (response.methodName().toLowerCase(Locale.ROOT)) {
            case CONNECT -> onConnectReply(response, reason);
            case CONNECT_UPDATE -> {
                if (!response.connected()) {
                    lost("recorder " + describe(recorder) + " refused connectupdate with the renewed token ("
                            + orNoReason(reason) + ")");
                } else {
                    LOG.debug("recorder accepted connectupdate");
                }
            }
            default -> {
                if (response.field("connected").isPresent() && !response.connected()) {
                    lost("recorder " + describe(recorder) + " refused " + response.methodName() + " ("
                            + orNoReason(reason) + ")");
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    private void onConnectReply(XmlMessage response, String reason) {
        if (response.connected()) {
            authenticated = true;
            events.connected();
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
                    + " (" + orNoReason(reason) + ")");
        }
    }

    /** Called by the VMS session on its own thread. */
    private void tokenRenewed(String newToken) {
        try {
            onLoop(() -> {
                if (closed) {
                    return;
                }
                latestToken = newToken;
                if (authenticated) {
                    sendConnectUpdateIfRenewed();
                }
            });
        } catch (RejectedExecutionException e) {
            // nothing on this loop will run again, close() included: stop listening here
            vms.removeTokenListener(tokenListener);
            LOG.debug("event loop shut down; token renewal not forwarded");
        }
    }

    /** Sends the latest token, if it is not the one the recorder has; a renewal before connect waits for its reply. */
    private void sendConnectUpdateIfRenewed() {
        if (channel == null || latestToken == null || latestToken.equals(token)) {
            return;
        }
        token = latestToken;
        LOG.debug("VMS token renewed; sending connectupdate");
        write(ImageServerRequests.connectUpdate(nextRequestId++, settings.cameraId(), token));
    }

    /**
     * The recorder's address did not answer: the VMS session forgets it, so the next attempt asks the VMS again (the
     * camera may have failed over to another recorder; otherwise the cached address would be tried for 10 min).
     */
    private void unreachable() {
        String camera = settings.cameraId();
        runBlocking(() -> vms.recorderFailed(camera));
    }

    private void lost(String reason) {
        if (closed) {
            return;
        }
        close();
        events.lost(reason);
    }

    private void problem(SessionProblem problem, String message, RuntimeException cause) {
        if (closed) {
            return;
        }
        close();
        events.problem(problem, message, cause);
    }

    private void write(String xml) {
        channel.writeAndFlush(request(xml));
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
        CameraMdc.run(settings.cameraId(), task);
    }

    private static ByteBuf request(String xml) {
        return Unpooled.wrappedBuffer(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static String orNoReason(String reason) {
        return reason.isEmpty() ? NO_REASON : reason;
    }

    /** The recorder as messages name it, e.g. {@code tls://rec1:7563}. */
    static String describe(RecorderAddress address) {
        return address == null ? "(unknown)" : (address.tls() ? "tls://" : "tcp://") + address.host() + ":"
                + address.port();
    }

    /** Inbound end of the pipeline; ignores what arrives after the connection was closed. */
    private final class Handler extends SimpleChannelInboundHandler<ImageServerMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ImageServerMessage msg) {
            if (msg instanceof ImageResponse image) {
                // the per-picture path: no MDC map copied and restored for every picture; the owner logs nothing
                if (closed) {
                    return;
                }
                if (image.privacyMasked()) {
                    // checked on every picture, so a mask added while streaming stops it before that picture
                    inMdc(() -> problem(SessionProblem.PRIVACY_MASK, PrivacyMask.message(settings.cameraId()), null));
                    return;
                }
                events.image(image);
                return;
            }
            inMdc(() -> {
                if (!closed) {
                    onDocument((XmlMessage) msg);
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inMdc(() -> lost("recorder " + describe(recorder) + " closed the connection"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            inMdc(() -> lost("ImageServer session with recorder " + describe(recorder) + " failed: "
                    + cause.getMessage() + (Causes.find(cause, javax.net.ssl.SSLHandshakeException.class) != null ? TLS_HINT : "")));
            ctx.close();
        }
    }
}
