package io.camrelay.web;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.media.FragmentedMp4Writer;
import io.camrelay.media.MediaFormatException;
import io.camrelay.streams.DestinationSink;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One viewer of {@code GET /api/streams/{id}/preview.mp4} (architecture §12): a sink attached to the stream's outputs
 * while the client watches. The route's thread only queues each picture's tags (immutable, shared with the
 * destinations) in a bounded queue and asks the request's event loop to drain it; there the tags become fragmented
 * MP4 ({@link FragmentedMp4Writer}: init segment at the first key frame, one {@code moof}+{@code mdat} per picture, a
 * new init segment when the SPS changes) written to the response while Vert.x's write queue has room. A client that
 * reads slower than the stream fills the queue and is dropped (its connection closed); the stream and its
 * destinations never wait for it.
 *
 * <p>Before each picture's {@code moof} goes a {@code prft} box (ISO/IEC 14496-12 §8.16.5, flags 8): the wall-clock
 * time CamRelay received the picture from the ImageServer and the fragment's decode time, so a player can show the
 * delay from receive to screen. Players that do not know the box skip it (FFmpeg, VLC); the console takes it out
 * before Media Source Extensions see the data.
 */
final class PreviewViewer implements DestinationSink {

    /** Pictures queued for the client at most (2 s at 25 fps); past that the viewer is too slow and is dropped. */
    static final int MAX_QUEUED_PICTURES = 50;
    /** Bytes queued for the client at most. */
    static final long MAX_QUEUED_BYTES = 8L << 20;
    /** Vert.x's own write queue per viewer: what the socket has not taken yet (then our queue fills). */
    static final int WRITE_QUEUE_BYTES = 32 * 1024;
    /**
     * The socket's send buffer for a viewer: set, so Linux does not grow it to megabytes (tcp_wmem), which would hide
     * a stalled client for minutes; 64 KiB (the kernel doubles it) carries 4 Mbit/s to a viewer 250 ms away.
     */
    static final int SOCKET_SEND_BUFFER = 64 * 1024;
    /** Seconds from 1900 (NTP) to 1970 (Unix). */
    private static final long NTP_EPOCH_OFFSET_S = 2_208_988_800L;

    private record Picture(List<FlvTag> tags, long receiveNanos, long bytes) {
    }

    private final Context context;
    private final HttpServerResponse response;
    private final Consumer<String> onEnd;
    private final ArrayBlockingQueue<Picture> queue = new ArrayBlockingQueue<>(MAX_QUEUED_PICTURES);
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean ended;

    // on the event loop only
    private final List<byte[]> segments = new ArrayList<>(4);
    private final FragmentedMp4Writer writer = new FragmentedMp4Writer(new SegmentCollector(segments));
    private boolean headersSent;
    private boolean finished;
    private long heldReceiveNanos = Long.MIN_VALUE;
    private long heldDts = -1;
    private long firstDts = -1;
    private long bytesWritten;

    /**
     * @param context  the request's Vert.x context (its event loop)
     * @param connection the request's connection (its socket's send buffer is limited)
     * @param response the response, whose status and headers are not yet sent
     * @param onEnd    called once on the event loop when the viewer ends, with why it was dropped or null
     */
    PreviewViewer(Context context, io.vertx.core.http.HttpConnection connection, HttpServerResponse response,
                  Consumer<String> onEnd) {
        this.context = context;
        this.response = response;
        this.onEnd = onEnd;
        response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        limitSendBuffer(connection);
        response.drainHandler(v -> drain());
        response.closeHandler(v -> end(null, false));
        response.exceptionHandler(e -> end(null, false));
    }

    @Override
    public void start() {
    }

    /** Queues the picture (route thread, under the outputs' lock): never blocks, never waits for the client. */
    @Override
    public void send(List<FlvTag> tags, long receiveNanos) {
        if (ended) {
            throw new IllegalStateException("the preview viewer has gone");
        }
        long bytes = 0;
        for (FlvTag t : tags) {
            bytes += t.size();
        }
        if (queuedBytes.get() + bytes > MAX_QUEUED_BYTES || !queue.offer(new Picture(tags, receiveNanos, bytes))) {
            ended = true;
            int queued = queue.size();
            context.runOnContext(v -> end("it read slower than the stream (" + queued + " pictures waited for it)",
                    true));
            throw new IllegalStateException("the preview viewer is too slow");
        }
        queuedBytes.addAndGet(bytes);
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    /** The stream's outputs closed (the stream was removed or disabled): the response ends. */
    @Override
    public void stop() {
        context.runOnContext(v -> end(null, false));
    }

    /** Bytes written to the response (event loop). */
    long bytesWritten() {
        return bytesWritten;
    }

    private void drain() {
        drainScheduled.set(false);
        while (!ended && !response.writeQueueFull()) {
            Picture p = queue.poll();
            if (p == null) {
                return;
            }
            queuedBytes.addAndGet(-p.bytes());
            mux(p);
        }
    }

    private void mux(Picture p) {
        long dts = -1;
        for (FlvTag t : p.tags()) {
            if (t.type() == FlvTagType.VIDEO && !t.sequenceHeader()) {
                dts = t.timestamp();
            }
        }
        long dropped = writer.droppedPictures();
        long fragmentReceive = heldReceiveNanos;
        long fragmentDts = heldDts;
        segments.clear();
        try {
            writer.write(p.tags());
        } catch (MediaFormatException | java.io.IOException e) {
            end("its picture could not be made fragmented MP4: " + e.getMessage(), true);
            return;
        }
        if (dts >= 0 && writer.droppedPictures() == dropped) {
            heldReceiveNanos = p.receiveNanos();
            heldDts = dts;
            if (firstDts < 0) {
                firstDts = dts;
            }
        }
        boolean stamped = false;
        for (byte[] segment : segments) {
            if (!headersSent) {
                response.setStatusCode(200).setChunked(true)
                        .putHeader("Content-Type", writer.mimeType().orElse("video/mp4"))
                        .putHeader("Cache-Control", "no-store");
                headersSent = true;
            }
            if (!stamped && isMoof(segment) && fragmentDts >= 0 && fragmentReceive != Long.MIN_VALUE) {
                stamped = true;
                write(prft(fragmentReceive, fragmentDts - firstDts));
            }
            write(segment);
        }
    }

    private void write(byte[] bytes) {
        bytesWritten += bytes.length;
        response.write(Buffer.buffer(bytes));
    }

    /** Ends the viewer once (event loop): detaches it and closes (dropped) or ends (stream gone) the response. */
    private void end(String droppedBecause, boolean close) {
        if (finished) {
            return;
        }
        finished = true;
        ended = true;
        queue.clear();
        if (!response.closed() && !response.ended()) {
            if (close) {
                response.close();
            } else if (headersSent) {
                response.end();
            } else {
                response.setStatusCode(409).putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"the stream stopped before its first key frame: nothing to preview\"}");
            }
        }
        onEnd.accept(droppedBecause);
    }

    /** Vert.x has no public per-connection socket option: its connections are Netty channels underneath. */
    private static void limitSendBuffer(io.vertx.core.http.HttpConnection connection) {
        try {
            if (connection instanceof io.vertx.core.net.impl.ConnectionBase c) {
                c.channel().config().setOption(io.netty.channel.ChannelOption.SO_SNDBUF, SOCKET_SEND_BUFFER);
            }
        } catch (RuntimeException | LinkageError e) {
            // another Vert.x: the kernel's buffer then delays noticing a stalled viewer, nothing else
        }
    }

    private static boolean isMoof(byte[] segment) {
        return segment.length >= 8 && segment[4] == 'm' && segment[5] == 'o' && segment[6] == 'o' && segment[7] == 'f';
    }

    /** prft version 1: reference track 1 (video), NTP time of the receive, the fragment's decode time (ms). */
    static byte[] prft(long receiveNanos, long mediaTimeMs) {
        long wallMicros = System.currentTimeMillis() * 1000
                - TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - receiveNanos);
        long seconds = Math.floorDiv(wallMicros, 1_000_000L) + NTP_EPOCH_OFFSET_S;
        long fraction = (Math.floorMod(wallMicros, 1_000_000L) << 32) / 1_000_000L;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32);
        b.putInt(32).put(new byte[] {'p', 'r', 'f', 't'}).putInt(0x01000008).putInt(1)
                .putInt((int) seconds).putInt((int) fraction).putLong(Math.max(0, mediaTimeMs));
        return b.array();
    }

    /** Collects each segment the writer writes (one write + flush per segment). */
    private static final class SegmentCollector extends OutputStream {
        private final List<byte[]> segments;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        SegmentCollector(List<byte[]> segments) {
            this.segments = segments;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() {
            if (pending.size() > 0) {
                segments.add(pending.toByteArray());
                pending.reset();
            }
        }
    }
}
