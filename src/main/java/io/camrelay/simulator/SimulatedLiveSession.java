package io.camrelay.simulator;

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
 * push of pictures and livepackages as a recorder sends them (docs/simulator.md): pictures at the times the
 * camera's {@link PictureSchedule} says, starting with the pre-buffered GOP, stamped with the recorder's clock, with
 * the camera's privacy mask in every response. All state is touched on the channel's event loop only.
 */
final class SimulatedLiveSession extends SimpleChannelInboundHandler<SimulatorRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedLiveSession.class);
    /** How often the session's token is checked for expiry. */
    static final long TOKEN_CHECK_INTERVAL_MS = 250;
    static final String UNKNOWN_DEVICE = "Unknown device";
    static final String TOKEN_INVALID = "Security token invalid";
    /**
     * The {@code PrivacyMask} value of a masked camera. Its format is not documented (reference §1.5 only says "other
     * than none"): a grid of cells, 1 = masked, after the grid masks the Management Client draws.
     */
    static final String PRIVACY_MASK_GRID = "grid;8x6;000000000000000000110000001100000000000000000000";
    private static final int GARBAGE_BYTES = 256;
    private static final int TRUNCATION_BYTES = 100;

    private final ImageServerSimulator server;
    private final SimulatedPlayback playback = new SimulatedPlayback(this);
    private ChannelHandlerContext ctx;
    private SimulatedCameraState camera;
    private String token;
    private List<ClipFrames.Frame> frames;
    private PictureSchedule schedule;
    private boolean jpeg;
    private int liveRequestId;
    private boolean live;
    private boolean silent;
    private boolean sessionCameraLost;
    private boolean waitForKeyFrame;
    private boolean truncateNext;
    private long corruptPictures;
    private boolean codecChangeNext;
    /** The next picture, decode order, counted over the clip's loops since the camera's (or this live's) start. */
    /** The sequence number of a session's first picture: 100 pictures before the uint16 wrap. */
    static final int FIRST_SEQUENCE = 65_436;
    private long frameNumber;
    /** {@link #frameNumber} of this live's first picture: where its sequence numbers start. */
    private long firstFrameNumber;
    private long epochNanos;
    private long liveStartNanos;
    private long frameDueNanos;
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

    /** The camera's connection to the recorder changed: tell the client at once, as the next keepalive would. */
    void cameraConnectionChanged() {
        ChannelHandlerContext context = ctx;
        if (context != null) {
            context.executor().execute(this::sendLivePackage);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SimulatorRequest call) {
        if (!playback.takes(call)) {
            answer(call);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        playback.drain();
        super.channelWritabilityChanged(ctx);
    }

    /** Answers a request that is not playback's (also one that waited behind a playback request). */
    void answer(SimulatorRequest call) {
        switch (call.method()) {
            case "connect" -> connect(call);
            case "live" -> live(call);
            case "connectupdate" -> connectUpdate(call);
            case "stop" -> {
                stopLive();
                if (camera != null) {
                    server.stopped(camera.camera().id());
                }
                respond(call.requestId(), "stop", true, null);
            }
            default -> respond(call.requestId(), call.method(), false, "Unknown method");
        }
    }

    private void connect(SimulatorRequest call) {
        // §1.2: the dummy credentials must be present when a token is used, and alwaysstdjpeg is yes or no
        Optional<String> missing = List.of("username", "password", "cameraid", "alwaysstdjpeg", "connectparam")
                .stream().filter(e -> call.element(e).isEmpty()).findFirst();
        if (missing.isPresent()) {
            violation("connect without <" + missing.get() + ">", call);
            return;
        }
        String cameraId = call.element("cameraid").orElseThrow();
        Map<String, String> params = call.connectParam();
        if (!cameraId.equalsIgnoreCase(params.getOrDefault("id", ""))) {
            violation("connect's connectparam id '" + params.get("id") + "' is not its cameraid '" + cameraId + "'",
                    call);
            return;
        }
        Optional<SimulatedCameraState> found = server.camera(cameraId);
        if (found.isEmpty()) {
            respond(call.requestId(), "connect", false, UNKNOWN_DEVICE);
            return;
        }
        String offered = params.getOrDefault("connectiontoken", "");
        if (server.takeRefusal(cameraId) || !server.backend().tokenValid(offered)) {
            respond(call.requestId(), "connect", false, TOKEN_INVALID);
            return;
        }
        if (camera != null) {
            server.closed(camera.camera().id(), this);
        }
        camera = found.get();
        token = offered;
        String alwaysStdJpeg = call.element("alwaysstdjpeg").orElseThrow();
        if (!alwaysStdJpeg.equals("yes") && !alwaysStdJpeg.equals("no")) {
            violation("alwaysstdjpeg '" + alwaysStdJpeg + "' (expected yes or no)", call);
            return;
        }
        jpeg = camera.camera().clip().codec() == VideoCodec.JPEG || alwaysStdJpeg.equals("yes");
        ClipSource clip = jpeg ? SimulatorClip.JPEG : camera.camera().clip();
        ClipFrames.Loaded loaded = server.frames(clip);
        frames = loaded.frames();
        schedule = PictureSchedule.of(loaded, clip.fps(), camera.camera().recorder().burstyStamps());
        server.connected(camera.camera().id(), this);
        playback.connected(new SimulatedRecording(schedule, camera, server.backend().recordingLayout()), frames, jpeg,
                codecId(clip.codec()));
        respond(call.requestId(), "connect", true, null);
        if (tokenTask == null) {
            tokenTask = ctx.executor().scheduleAtFixedRate(this::checkToken, TOKEN_CHECK_INTERVAL_MS,
                    TOKEN_CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void connectUpdate(SimulatorRequest call) {
        Map<String, String> params = call.connectParam();
        String offered = params.getOrDefault("connectiontoken", "");
        if (camera == null || !server.backend().tokenValid(offered)) {
            respond(call.requestId(), "connectupdate", false, TOKEN_INVALID);
            return;
        }
        if (!camera.camera().id().equalsIgnoreCase(params.getOrDefault("id", ""))) {
            violation("connectupdate for camera '" + params.get("id") + "' on the session of "
                    + camera.camera().id(), call);
            return;
        }
        token = offered;
        server.connectUpdated(camera.camera().id());
        respond(call.requestId(), "connectupdate", true, null);
    }

    private void live(SimulatorRequest call) {
        if (camera == null) {
            respond(call.requestId(), "live", false, "Not connected");
            return;
        }
        if (call.element("compressionrate").filter(c -> c.matches("[0-9]{1,3}")).isEmpty()) {
            violation("live without a numeric <compressionrate> (the required form, reference §1.3)", call);
            return;
        }
        if (live) {
            return;
        }
        live = true;
        liveRequestId = call.requestId();
        liveStartNanos = System.nanoTime();
        RecorderBehaviour recorder = camera.camera().recorder();
        if (recorder.preBufferedGop()) {
            // the camera has been recording all along: start at its latest key frame, up to a GOP in the past
            epochNanos = camera.epochNanos();
            frameNumber = schedule.preBufferStart(liveStartNanos - epochNanos);
        } else {
            epochNanos = liveStartNanos;
            frameNumber = 0;
        }
        firstFrameNumber = frameNumber;
        if (!jpeg && !"no".equals(call.element("sendinitialimage").orElse(null))) {
            // without sendinitialimage=no a recorder starts with a JPEG snapshot (reference §1.3)
            ctx.writeAndFlush(initialJpeg());
        }
        scheduleNextFrame();
        long interval = recorder.livePackageInterval().toMillis();
        statusTask = ctx.executor().scheduleAtFixedRate(this::sendLivePackage, 0, interval, TimeUnit.MILLISECONDS);
    }

    private void checkToken() {
        if (token != null && !server.backend().tokenValid(token)) {
            LOG.info("simulator: the token of a session of camera {} expired without connectupdate; closing it",
                    camera.camera().id());
            ctx.close();
        }
    }

    private void scheduleNextFrame() {
        frameDueNanos = epochNanos + schedule.offsetNanos(frameNumber);
        frameTask = ctx.executor().schedule(this::sendFrame, Math.max(0, frameDueNanos - System.nanoTime()),
                TimeUnit.NANOSECONDS);
    }

    private void sendFrame() {
        if (!live || !ctx.channel().isActive()) {
            return;
        }
        boolean cameraLost = sessionCameraLost || !camera.connected();
        if (cameraLost) {
            waitForKeyFrame = true; // a camera coming back starts again at a key frame
        } else if (!silent && !(waitForKeyFrame && !schedule.keyFrame(frameNumber))) {
            waitForKeyFrame = false;
            sendPicture();
        }
        frameNumber++;
        scheduleNextFrame();
    }

    private void sendPicture() {
        ClipFrames.Frame frame = frames.get((int) (frameNumber % frames.size()));
        long pictureMs = camera.recorderEpochMs() + TimeUnit.NANOSECONDS.toMillis(frameDueNanos - camera.epochNanos());
        if (frame.keyFrame()) {
            syncTimeMs = pictureMs;
        }
        // A slow reader loses pictures rather than growing the send buffer without bound.
        boolean writable = ctx.channel().isWritable();
        if (writable) {
            boolean masked = camera.masked();
            ctx.writeAndFlush(imageResponse(frame, pictureMs, masked));
            camera.pictureSent(masked);
            if (server.pictureFault(camera.camera().id(), Fault.FOREIGN_PACKETS)
                    && PictureFaults.sendsForeignPackets(frameNumber, schedule.fps())) {
                PictureFaults.foreignPackets(pictureMs).forEach(p -> ctx.writeAndFlush(packetResponse(p, pictureMs,
                        masked)));
            }
        }
        // the pre-buffered GOP is due before live started: sent at once by design, not late
        long lateness = frameDueNanos < liveStartNanos ? 0 : System.nanoTime() - frameDueNanos;
        server.frameSent(lateness, schedule.intervalNanos(), !writable);
    }

    /**
     * The GenericByteData sequence number of the current picture: uint16, counted from {@link #FIRST_SEQUENCE} so that
     * every live session crosses the wrap from 65535 to 0 after 100 pictures (docs/simulator.md).
     */
    private int sequence() {
        return (int) ((FIRST_SEQUENCE + frameNumber - firstFrameNumber) & 0xFFFF);
    }

    /**
     * The response head and GenericByteData header in one small buffer, then the shared picture bytes wrapped, not
     * copied (a 1080p camera's pictures are tens of KB, and a load test runs a hundred cameras).
     */
    private ByteBuf imageResponse(ClipFrames.Frame frame, long pictureMs, boolean masked) {
        long frameMs = TimeUnit.NANOSECONDS.toMillis(schedule.intervalNanos());
        byte[] picture = picture(frame);
        int codec = codecChangeNext ? codecId(VideoCodec.H265) : codecId(camera.camera().clip().codec());
        codecChangeNext = false;
        if (!jpeg && server.pictureFault(camera.camera().id(), Fault.MULTI_PACKET)) {
            return packetResponse(PictureFaults.wrapped(SimulatorWire.videoPacket(codec, sequence(),
                    frame.keyFrame(), syncTimeMs, pictureMs, picture), pictureMs), pictureMs, masked);
        }
        int header = jpeg ? 0 : SimulatorWire.GBD_HEADER_LENGTH;
        int sentPicture = picture.length;
        if (truncateNext) {
            truncateNext = false;
            sentPicture = Math.max(0, picture.length - TRUNCATION_BYTES);
        }
        String head = SimulatorWire.imageResponseHead(liveRequestId, pictureMs - frameMs, pictureMs,
                pictureMs + frameMs, masked ? PRIVACY_MASK_GRID : SimulatorWire.NO_PRIVACY_MASK,
                header + picture.length, jpeg ? SimulatorWire.JPEG_TYPE : SimulatorWire.GENERIC_BYTE_DATA_TYPE);
        ByteBuf out = ctx.alloc().buffer(head.length() + header);
        out.writeCharSequence(head, StandardCharsets.US_ASCII);
        if (!jpeg) {
            SimulatorWire.writeGenericByteDataHeader(out, codec, sequence(), frame.keyFrame(), syncTimeMs,
                    pictureMs, picture.length);
        }
        return Unpooled.wrappedBuffer(out, Unpooled.wrappedBuffer(picture, 0, sentPicture),
                Unpooled.wrappedBuffer(SimulatorWire.TERMINATOR_BYTES));
    }

    /** The snapshot a recorder sends first when {@code live} lacks {@code sendinitialimage=no}. */
    private ByteBuf initialJpeg() {
        byte[] picture = server.frames(SimulatorClip.JPEG).frames().get(0).data();
        long now = camera.recorderTimeMs(System.nanoTime());
        String head = SimulatorWire.imageResponseHead(liveRequestId, now, now, now, camera.masked()
                ? PRIVACY_MASK_GRID : SimulatorWire.NO_PRIVACY_MASK, picture.length, SimulatorWire.JPEG_TYPE);
        return Unpooled.wrappedBuffer(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII),
                Unpooled.wrappedBuffer(picture), Unpooled.wrappedBuffer(SimulatorWire.TERMINATOR_BYTES));
    }

    private static int codecId(VideoCodec codec) {
        return switch (codec) {
            case H264 -> SimulatorWire.GBD_CODEC_H264;
            case H265 -> SimulatorWire.GBD_CODEC_H265;
            case JPEG -> SimulatorWire.GBD_CODEC_JPEG;
            default -> throw new IllegalArgumentException("the simulator plays no " + codec + " clips");
        };
    }

    /** The picture as sent: its bytes, or a corrupt version when {@link Fault#CORRUPT_PICTURES} says so. */
    private byte[] picture(ClipFrames.Frame frame) {
        if (!jpeg && server.pictureFault(camera.camera().id(), Fault.CORRUPT_PICTURES)
                && PictureFaults.corruptsPicture(frameNumber, schedule.fps())) {
            return PictureFaults.corrupt(frame.data(), corruptPictures++);
        }
        return frame.data();
    }

    /** An ImageResponse carrying {@code packet} (a whole GenericByteData packet) as its body. */
    private ByteBuf packetResponse(byte[] packet, long pictureMs, boolean masked) {
        String head = SimulatorWire.imageResponseHead(liveRequestId, pictureMs, pictureMs, pictureMs,
                masked ? PRIVACY_MASK_GRID : SimulatorWire.NO_PRIVACY_MASK, packet.length,
                SimulatorWire.GENERIC_BYTE_DATA_TYPE);
        return Unpooled.wrappedBuffer(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII),
                Unpooled.wrappedBuffer(packet), Unpooled.wrappedBuffer(SimulatorWire.TERMINATOR_BYTES));
    }

    private void sendLivePackage() {
        if (!live || silent || !ctx.channel().isActive()) {
            return;
        }
        write(SimulatorWire.livePackage(camera.recorderTimeMs(System.nanoTime()),
                sessionCameraLost || !camera.connected()));
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
                sessionCameraLost = true;
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

    void respond(int requestId, String method, boolean connected, String errorReason) {
        write(SimulatorWire.methodResponse(requestId, method, connected, errorReason));
    }

    /** The client broke the protocol: counted, answered with a refusal naming it, for tests to see. */
    void violation(String what, SimulatorRequest call) {
        server.protocolViolation(what);
        respond(call.requestId(), call.method(), false, "Invalid request: " + what);
    }

    ImageServerSimulator server() {
        return server;
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    SimulatedCameraState camera() {
        return camera;
    }

    void write(String document) {
        ctx.writeAndFlush(ctx.alloc().buffer(document.length()).writeBytes(document.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopLive();
        cancel(tokenTask);
        if (camera != null) {
            server.closed(camera.camera().id(), this);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SimulatorRequestDecoder.Violation violation) {
            server.protocolViolation(violation.getMessage());
        } else {
            LOG.debug("simulator closes a session after: {}", cause.toString());
        }
        ctx.close();
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }
}
