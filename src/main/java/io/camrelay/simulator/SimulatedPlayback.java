package io.camrelay.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The recorded side of one simulated ImageServer connection (docs/simulator.md, "Playback"; reference §8.1, §8.2 a):
 * {@code goto}, {@code next} and {@code alarms} over the camera's {@link SimulatedRecording}. Requests are answered
 * strictly in the order they came, each reply written whole before the next is started and only while the socket
 * takes more (a reader that does not read gets nothing more: no unbounded send buffer), so once a playback request
 * is waiting every later request (a {@code connectupdate} too) waits behind it. At most {@value #MAX_QUEUED}
 * requests may wait; a client that pipelines more breaks the protocol (counted) and is closed. Event-loop confined.
 */
final class SimulatedPlayback {

    /** Requests that may wait for their reply (decided: T1 keeps 3 in flight, T7 5; reference §8.6 question 6). */
    static final int MAX_QUEUED = 16;
    /** The requests this class answers. */
    static final Set<String> METHODS = Set.of("goto", "next", "alarms");

    private final SimulatedLiveSession session;
    private final ArrayDeque<SimulatorRequest> queue = new ArrayDeque<>();
    private SimulatedRecording recording;
    private List<ClipFrames.Frame> frames;
    private boolean jpeg;
    private int codecId;
    /** The key frame of the GOP answered last, −1 before the first {@code goto}. */
    private long cursor = -1;
    private boolean keyFramesOnly;
    private boolean closed;

    SimulatedPlayback(SimulatedLiveSession session) {
        this.session = session;
    }

    /** The session accepted {@code connect}: what it plays back from now on. */
    void connected(SimulatedRecording recording, List<ClipFrames.Frame> frames, boolean jpeg, int codecId) {
        this.recording = recording;
        this.frames = frames;
        this.jpeg = jpeg;
        this.codecId = codecId;
        this.cursor = -1;
    }

    /** Takes {@code call} when it is a playback request or must wait behind one; false leaves it to the session. */
    boolean takes(SimulatorRequest call) {
        if (queue.isEmpty() && !METHODS.contains(call.method())) {
            return false;
        }
        if (closed) {
            return true;
        }
        if (queue.size() >= MAX_QUEUED) {
            closed = true;
            session.server().protocolViolation("more than " + MAX_QUEUED + " requests waiting for their replies on "
                    + "one connection (pipelining is bounded: keep a few in flight)");
            session.ctx().close();
            return true;
        }
        queue.add(call);
        session.server().requestsQueued(queue.size());
        drain();
        return true;
    }

    /** Answers waiting requests while the socket takes more; called again when it becomes writable. */
    void drain() {
        ChannelHandlerContext ctx = session.ctx();
        while (!queue.isEmpty() && ctx.channel().isActive() && ctx.channel().isWritable()) {
            SimulatorRequest call = queue.poll();
            switch (call.method()) {
                case "goto" -> goTo(call);
                case "next" -> next(call);
                case "alarms" -> alarms(call);
                default -> session.answer(call);
            }
        }
    }

    private void goTo(SimulatorRequest call) {
        if (recording == null) {
            session.respond(call.requestId(), call.method(), false, "Not connected");
            return;
        }
        Optional<Long> time = number(call, "time");
        if (time.isEmpty()) {
            session.violation("goto without a numeric <time> (ms UTC, reference §8.1)", call);
            return;
        }
        keyFramesOnly = "yes".equals(call.element("keyframesonly").orElse("no"));
        long newest = recording.newest();
        cursor = recording.gopAt(time.get());
        writeGop(call.requestId(), newest);
    }

    private void next(SimulatorRequest call) {
        if (recording == null) {
            session.respond(call.requestId(), call.method(), false, "Not connected");
            return;
        }
        if (cursor < 0) {
            session.respond(call.requestId(), call.method(), false, "No playback position: send goto first");
            return;
        }
        long newest = recording.newest();
        long following = recording.nextGop(cursor, newest);
        if (following >= 0) {
            cursor = following;
        }
        // past the newest recording the newest GOP again, with the same Current (reference §8.1)
        writeGop(call.requestId(), newest);
    }

    /**
     * The GOP at {@link #cursor}: one ImageResponse per picture in decode order, all with the request's RequestId
     * and the GOP's Prev / Current / Next (the neighbouring GOPs' key frames, across gaps; at an end the GOP's own),
     * as docs/simulator.md decides for reference §8.6 questions 1 and 2. Nothing recorded: one empty reply.
     */
    private void writeGop(int requestId, long newest) {
        ChannelHandlerContext ctx = session.ctx();
        SimulatedCameraState camera = session.camera();
        String mask = camera.masked() ? SimulatedLiveSession.PRIVACY_MASK_GRID : SimulatorWire.NO_PRIVACY_MASK;
        String type = jpeg ? SimulatorWire.JPEG_TYPE : SimulatorWire.GENERIC_BYTE_DATA_TYPE;
        if (cursor < 0) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(Unpooled.copiedBuffer(SimulatorWire.imageResponseHead(requestId,
                    0, 0, 0, mask, 0, type), StandardCharsets.US_ASCII),
                    Unpooled.wrappedBuffer(SimulatorWire.TERMINATOR_BYTES)));
            return;
        }
        long current = recording.timeMs(cursor);
        long previous = recording.previousGop(cursor);
        long following = recording.nextGop(cursor, newest);
        long prevMs = previous < 0 ? current : recording.timeMs(previous);
        long nextMs = following < 0 ? current : recording.timeMs(following);
        long end = keyFramesOnly ? cursor + 1 : recording.gopEnd(cursor, newest);
        boolean masked = camera.masked();
        for (long n = cursor; n < end; n++) {
            ClipFrames.Frame frame = frames.get(recording.clipIndex(n));
            byte[] picture = frame.data();
            int header = jpeg ? 0 : SimulatorWire.GBD_HEADER_LENGTH;
            String head = SimulatorWire.imageResponseHead(requestId, prevMs, current, nextMs, mask,
                    header + picture.length, type);
            ByteBuf out = ctx.alloc().buffer(head.length() + header);
            out.writeCharSequence(head, StandardCharsets.US_ASCII);
            if (!jpeg) {
                SimulatorWire.writeGenericByteDataHeader(out, codecId, (int) n, recording.keyFrame(n), current,
                        recording.timeMs(n), picture.length);
            }
            ByteBuf response = Unpooled.wrappedBuffer(out, Unpooled.wrappedBuffer(picture),
                    Unpooled.wrappedBuffer(SimulatorWire.TERMINATOR_BYTES));
            ctx.write(response);
            camera.pictureSent(masked);
        }
        ctx.flush();
        session.server().playbackPicturesSent(end - cursor);
    }

    /**
     * {@code alarms} (reference §8.2 a, decided in docs/simulator.md): the recorded sequences overlapping
     * [centertime − timespan, centertime + timespan], oldest first, at most {@code numalarms}.
     */
    private void alarms(SimulatorRequest call) {
        if (recording == null) {
            session.respond(call.requestId(), call.method(), false, "Not connected");
            return;
        }
        Optional<Long> center = number(call, "centertime");
        Optional<Long> span = number(call, "timespan");
        Optional<Long> count = number(call, "numalarms");
        if (center.isEmpty() || span.isEmpty() || count.isEmpty()) {
            session.violation("alarms without numeric <centertime>, <timespan> and <numalarms> (reference §8.2 a)",
                    call);
            return;
        }
        List<SimulatedRecording.Sequence> found = recording.sequences(center.get() - span.get(),
                center.get() + span.get());
        session.server().sequenceQueryAnswered();
        session.write(SimulatorWire.alarmsResponse(call.requestId(),
                found.subList(0, (int) Math.min(found.size(), count.get()))));
    }

    private static Optional<Long> number(SimulatorRequest call, String element) {
        return call.element(element).map(String::trim).filter(v -> v.matches("-?[0-9]{1,18}")).map(Long::parseLong);
    }
}
