package io.camrelay.simulator;

import io.camrelay.imageserver.codec.ImageServerRequests;
import io.camrelay.imageserver.codec.XmlMessage;
import io.camrelay.media.GenericByteData;
import io.camrelay.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the simulated ImageServer: the request/response exchange and, after {@code live}, the
 * paced push of pictures and livepackages. All state is touched on the channel's event loop only.
 */
final class SimulatedLiveSession extends SimpleChannelInboundHandler<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedLiveSession.class);
    /** A recorder sends a livepackage at least every 5 s (§1.3); the simulator every 3 s. */
    static final long LIVE_PACKAGE_INTERVAL_MS = 3000;
    /** How often the session's token is checked for expiry. */
    static final long TOKEN_CHECK_INTERVAL_MS = 250;
    static final String GENERIC_BYTE_DATA_TYPE = "application/x-genericbytedata-octet-stream";
    static final String JPEG_TYPE = "image/jpeg";
    static final String UNKNOWN_DEVICE = "Unknown device";
    static final String TOKEN_INVALID = "Security token invalid";
    private static final int STATUS_LIVE_FEED = 1;
    private static final int GARBAGE_BYTES = 256;
    private static final int TRUNCATION_BYTES = 100;
    private static final byte[] TERMINATOR_BYTES = ImageServerRequests.TERMINATOR.getBytes(StandardCharsets.US_ASCII);

    private final ImageServerSimulator server;
    private ChannelHandlerContext ctx;
    private SimulatedCamera camera;
    private String token;
    private List<ClipFrames.Frame> frames;
    private int fps;
    private boolean jpeg;
    private int liveRequestId;
    private boolean live;
    private boolean silent;
    private boolean cameraLost;
    private boolean truncateNext;
    private long corruptPictures;
    private boolean codecChangeNext;
    private long frameNumber;
    private long frameDueNanos;
    private long liveStartNanos;
    private long baseTimeMs;
    private long syncTimeMs;
    private ScheduledFuture<?> frameTask;
    private ScheduledFuture<?> statusTask;
    private ScheduledFuture<?> tokenTask;

    SimulatedLiveSession(ImageServerSimulator server) {
        this.server = server;
    }

    void inject(Fault fault) {
        ChannelHandlerContext context = ctx;
        if (context != null) {
            context.executor().execute(() -> apply(fault));
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof XmlMessage call) || !XmlMessage.METHOD_CALL.equals(call.root())) {
            LOG.debug("simulator ignores a message that is not a methodcall: {}", msg);
            return;
        }
        int requestId = parseInt(call.field("requestid").orElse("0"));
        switch (call.methodName()) {
            case "connect" -> connect(requestId, call);
            case "live" -> live(requestId);
            case "connectupdate" -> connectUpdate(requestId, call);
            case "stop" -> {
                stopLive();
                if (camera != null) {
                    server.stopped(camera.id());
                }
                respond(requestId, "stop", true, null);
            }
            default -> respond(requestId, call.methodName(), false, "Unknown method");
        }
    }

    private void connect(int requestId, XmlMessage call) {
        String cameraId = call.field("cameraid").orElse("").trim();
        Map<String, String> params = ImageServerRequests.parseConnectParam(call.field("connectparam").orElse(""));
        Optional<SimulatedCamera> found = server.backend().camera(cameraId);
        if (found.isEmpty()) {
            respond(requestId, "connect", false, UNKNOWN_DEVICE);
            return;
        }
        String offered = params.getOrDefault("connectiontoken", "");
        if (server.takeRefusal(cameraId) || !server.backend().tokenValid(offered)) {
            respond(requestId, "connect", false, TOKEN_INVALID);
            return;
        }
        if (camera != null) {
            server.closed(camera.id(), this);
        }
        camera = found.get();
        token = offered;
        jpeg = camera.clip().codec() == VideoCodec.JPEG
                || "yes".equalsIgnoreCase(call.field("alwaysstdjpeg").orElse("no").trim());
        ClipSource clip = jpeg ? SimulatorClip.JPEG : camera.clip();
        frames = server.frames(clip);
        fps = clip.fps();
        server.connected(camera.id(), this);
        respond(requestId, "connect", true, null);
        if (tokenTask == null) {
            tokenTask = ctx.executor().scheduleAtFixedRate(this::checkToken, TOKEN_CHECK_INTERVAL_MS,
                    TOKEN_CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void connectUpdate(int requestId, XmlMessage call) {
        String offered = ImageServerRequests.parseConnectParam(call.field("connectparam").orElse(""))
                .getOrDefault("connectiontoken", "");
        if (camera == null || !server.backend().tokenValid(offered)) {
            respond(requestId, "connectupdate", false, TOKEN_INVALID);
            return;
        }
        token = offered;
        server.connectUpdated(camera.id());
        respond(requestId, "connectupdate", true, null);
    }

    private void live(int requestId) {
        if (camera == null) {
            respond(requestId, "live", false, "Not connected");
            return;
        }
        if (live) {
            return;
        }
        live = true;
        liveRequestId = requestId;
        liveStartNanos = System.nanoTime();
        baseTimeMs = System.currentTimeMillis();
        scheduleNextFrame();
        statusTask = ctx.executor().scheduleAtFixedRate(this::sendLivePackage, 0, LIVE_PACKAGE_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    private void checkToken() {
        if (token != null && !server.backend().tokenValid(token)) {
            LOG.info("simulator: the token of a session of camera {} expired without connectupdate; closing it",
                    camera.id());
            ctx.close();
        }
    }

    private void scheduleNextFrame() {
        frameDueNanos = liveStartNanos + frameNumber * TimeUnit.SECONDS.toNanos(1) / fps;
        frameTask = ctx.executor().schedule(this::sendFrame, Math.max(0, frameDueNanos - System.nanoTime()),
                TimeUnit.NANOSECONDS);
    }

    private void sendFrame() {
        if (!live || cameraLost || !ctx.channel().isActive()) {
            return;
        }
        if (!silent) {
            ClipFrames.Frame frame = frames.get((int) (frameNumber % frames.size()));
            long pictureMs = baseTimeMs + frameNumber * 1000 / fps;
            if (frame.keyFrame()) {
                syncTimeMs = pictureMs;
            }
            // A slow reader loses pictures rather than growing the send buffer without bound.
            boolean writable = ctx.channel().isWritable();
            if (writable) {
                ctx.writeAndFlush(imageResponse(frame, pictureMs));
                if (server.pictureFault(camera.id(), Fault.FOREIGN_PACKETS)
                        && PictureFaults.sendsForeignPackets(frameNumber, fps)) {
                    PictureFaults.foreignPackets(pictureMs).forEach(p -> ctx.writeAndFlush(packetResponse(p, pictureMs)));
                }
            }
            long interval = TimeUnit.SECONDS.toNanos(1) / fps;
            server.frameSent(System.nanoTime() - frameDueNanos, interval, !writable);
        }
        frameNumber++;
        scheduleNextFrame();
    }

    /**
     * The response head and GenericByteData header in one small buffer, then the shared picture bytes wrapped, not
     * copied (a 1080p camera's pictures are tens of KB, and a load test runs a hundred cameras).
     */
    private ByteBuf imageResponse(ClipFrames.Frame frame, long pictureMs) {
        if (!jpeg && server.pictureFault(camera.id(), Fault.MULTI_PACKET)) {
            return packetResponse(PictureFaults.wrapped(GenericByteData.encode(camera.clip().codec().id(),
                    (int) (frameNumber & 0xFFFF), frame.keyFrame(), syncTimeMs, pictureMs, picture(frame)), pictureMs),
                    pictureMs);
        }
        long frameMs = 1000 / fps;
        byte[] picture = picture(frame);
        int header = jpeg ? 0 : GenericByteData.HEADER_LENGTH;
        int declared = header + picture.length;
        int sentPicture = picture.length;
        if (truncateNext) {
            truncateNext = false;
            sentPicture = Math.max(0, picture.length - TRUNCATION_BYTES);
        }
        String headers = "ImageResponse\r\nRequestId: " + liveRequestId + "\r\nPrev: " + (pictureMs - frameMs)
                + "\r\nCurrent: " + pictureMs + "\r\nNext: " + (pictureMs + frameMs) + "\r\nPrivacyMask: none\r\n"
                + "Content-length: " + declared + "\r\nContent-type: " + (jpeg ? JPEG_TYPE : GENERIC_BYTE_DATA_TYPE)
                + "\r\n\r\n";
        ByteBuf head = ctx.alloc().buffer(headers.length() + header);
        head.writeCharSequence(headers, StandardCharsets.US_ASCII);
        if (!jpeg) {
            byte[] gbd = new byte[GenericByteData.HEADER_LENGTH];
            int codec = codecChangeNext ? VideoCodec.H265.id() : camera.clip().codec().id();
            codecChangeNext = false;
            GenericByteData.writeHeader(gbd, codec, (int) (frameNumber & 0xFFFF),
                    frame.keyFrame(), syncTimeMs, pictureMs, picture.length);
            head.writeBytes(gbd);
        }
        return Unpooled.wrappedBuffer(head, Unpooled.wrappedBuffer(picture, 0, sentPicture),
                Unpooled.wrappedBuffer(TERMINATOR_BYTES));
    }

    /** The picture as sent: its bytes, or a corrupt version when {@link Fault#CORRUPT_PICTURES} says so. */
    private byte[] picture(ClipFrames.Frame frame) {
        if (!jpeg && server.pictureFault(camera.id(), Fault.CORRUPT_PICTURES)
                && PictureFaults.corruptsPicture(frameNumber, fps)) {
            return PictureFaults.corrupt(frame.data(), corruptPictures++);
        }
        return frame.data();
    }

    /** An ImageResponse carrying {@code packet} (a whole GenericByteData packet) as its body. */
    private ByteBuf packetResponse(byte[] packet, long pictureMs) {
        String headers = "ImageResponse\r\nRequestId: " + liveRequestId + "\r\nCurrent: " + pictureMs
                + "\r\nPrivacyMask: none\r\nContent-length: " + packet.length + "\r\nContent-type: "
                + GENERIC_BYTE_DATA_TYPE + "\r\n\r\n";
        ByteBuf head = ctx.alloc().buffer(headers.length());
        head.writeCharSequence(headers, StandardCharsets.US_ASCII);
        return Unpooled.wrappedBuffer(head, Unpooled.wrappedBuffer(packet), Unpooled.wrappedBuffer(TERMINATOR_BYTES));
    }

    private void sendLivePackage() {
        if (silent || !ctx.channel().isActive()) {
            return;
        }
        int statusId = cameraLost ? XmlMessage.STATUS_CAMERA_DISCONNECTED : STATUS_LIVE_FEED;
        write("<?xml version=\"1.0\" encoding=\"utf-8\"?><livepackage><status><statustime>"
                + System.currentTimeMillis() + "</statustime><statusitem id=\"" + statusId
                + "\" value=\"1\" /></status></livepackage>" + ImageServerRequests.TERMINATOR);
    }

    private void apply(Fault fault) {
        switch (fault) {
            case DROP -> ctx.close();
            case STALL -> silent = true;
            case GARBAGE -> {
                byte[] garbage = new byte[GARBAGE_BYTES];
                ThreadLocalRandom.current().nextBytes(garbage);
                garbage[0] = 0x00; // never '<' or 'I': a reader cannot mistake it for a message
                ctx.writeAndFlush(ctx.alloc().buffer(GARBAGE_BYTES).writeBytes(garbage));
            }
            case TRUNCATED_FRAME -> truncateNext = true;
            case CAMERA_DISCONNECTED -> {
                cameraLost = true;
                sendLivePackage();
            }
            case WRONG_TOKEN -> { }
            case CODEC_CHANGE -> codecChangeNext = true;
            default -> throw new IllegalArgumentException(fault.name());
        }
    }

    private void stopLive() {
        live = false;
        cancel(frameTask);
        cancel(statusTask);
        frameTask = null;
        statusTask = null;
    }

    private void respond(int requestId, String method, boolean connected, String errorReason) {
        write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodresponse><requestid>" + requestId
                + "</requestid><methodname>" + ImageServerRequests.escape(method) + "</methodname><connected>"
                + (connected ? "yes" : "no") + "</connected>"
                + (errorReason == null ? "" : "<errorreason>" + errorReason + "</errorreason>")
                + "</methodresponse>" + ImageServerRequests.TERMINATOR);
    }

    private void write(String document) {
        ctx.writeAndFlush(ctx.alloc().buffer(document.length()).writeBytes(document.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopLive();
        cancel(tokenTask);
        if (camera != null) {
            server.closed(camera.id(), this);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("simulator closes a session after: {}", cause.toString());
        ctx.close();
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
