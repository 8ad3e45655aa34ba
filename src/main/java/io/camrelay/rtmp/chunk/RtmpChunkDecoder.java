package io.camrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.collection.IntObjectHashMap;
import java.util.Arrays;
import java.util.List;

/**
 * Reassembles incoming chunks into {@link RtmpMessage}s per chunk stream (RTMP 1.0 §5.3). Handles all four header
 * formats, extended timestamps (also repeated in fmt 3 continuation chunks, §5.3.1.3), and applies the peer's Set
 * Chunk Size and Abort messages itself, because the bytes after them in the same read already depend on them.
 * Every length is checked against a limit as soon as it is read; a broken rule closes the connection with an
 * {@link RtmpProtocolException} naming the value and the limit. The whole chunk is decoded only once it is buffered,
 * so a partial chunk never changes state.
 *
 * <p>What a peer can make the decoder hold is bounded per connection: a partial message's buffer grows as its bytes
 * arrive (never to the length its header declares before they do), at most {@link #MAX_MESSAGES_IN_PROGRESS}
 * messages may be in progress at once, and together they may hold at most twice the largest message accepted.
 * Without these a server setting chunk size 1 and opening a 1 MiB message on each of 1023 chunk streams would make
 * the client allocate a GiB from 14 KB of input.
 */
public final class RtmpChunkDecoder extends ByteToMessageDecoder {

    /** Default largest message accepted from the server (nginx-rtmp's own max_message default, docs/protocols.md A2). */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
    /** Largest chunk size a peer may set; §5.4.1 allows 2^31-1, but a whole chunk is buffered before decoding. */
    public static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;
    /** Highest chunk stream id accepted: a server uses a handful; each id costs per-stream state. */
    public static final int DEFAULT_MAX_CHUNK_STREAM_ID = 1024;
    /**
     * Most messages that may be in progress (started, not complete) at once: a server interleaves a handful of chunk
     * streams (control, commands, audio, video, data; docs/protocols.md A2).
     */
    public static final int MAX_MESSAGES_IN_PROGRESS = 16;
    /** The pending-bytes bound is this many times the largest message accepted. */
    public static final int PENDING_BYTES_PER_MESSAGE_SIZE = 2;
    /** Message header sizes for fmt 0..3 (§5.3.1.2). */
    private static final int[] HEADER_SIZE = {11, 7, 3, 0};
    private static final byte[] NO_BYTES = new byte[0];

    private static final class ChunkStream {
        long timestamp;
        long timestampField;
        boolean extended;
        int length;
        int typeId;
        int streamId;
        /** The message's bytes so far; grows as they arrive, up to {@link #length}. */
        byte[] payload;
        int received;
        /** The message spans chunks: it counts towards the messages in progress and the pending bytes. */
        boolean counted;

        boolean inProgress() {
            return payload != null;
        }
    }

    private final int maxMessageSize;
    private final int maxChunkStreamId;
    private final long maxPendingBytes;
    private final IntObjectHashMap<ChunkStream> streams = new IntObjectHashMap<>();
    private int chunkSize = RtmpChunkEncoder.DEFAULT_CHUNK_SIZE;
    /** Messages started but not complete, and the bytes their buffers hold. */
    private int messagesInProgress;
    private long pendingBytes;
    private boolean failed;

    /** A decoder with the default limits. */
    public RtmpChunkDecoder() {
        this(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_CHUNK_STREAM_ID);
    }

    /**
     * A decoder refusing messages longer than {@code maxMessageSize} and chunk stream ids above the given one, with
     * at most {@link #MAX_MESSAGES_IN_PROGRESS} messages in progress holding together at most
     * {@value #PENDING_BYTES_PER_MESSAGE_SIZE} × {@code maxMessageSize} bytes.
     */
    public RtmpChunkDecoder(int maxMessageSize, int maxChunkStreamId) {
        if (maxMessageSize < 1 || maxMessageSize > RtmpMessage.MAX_LENGTH) {
            throw new IllegalArgumentException("maxMessageSize " + maxMessageSize + " is outside 1.."
                    + RtmpMessage.MAX_LENGTH);
        }
        if (maxChunkStreamId < RtmpMessage.MIN_CHUNK_STREAM_ID || maxChunkStreamId > RtmpMessage.MAX_CHUNK_STREAM_ID) {
            throw new IllegalArgumentException("maxChunkStreamId " + maxChunkStreamId + " is outside 2.."
                    + RtmpMessage.MAX_CHUNK_STREAM_ID);
        }
        this.maxMessageSize = maxMessageSize;
        this.maxChunkStreamId = maxChunkStreamId;
        this.maxPendingBytes = (long) PENDING_BYTES_PER_MESSAGE_SIZE * maxMessageSize;
    }

    /** Bytes this connection's decoder holds: partial messages and the part of a chunk not yet complete. */
    long heldBytes() {
        return pendingBytes + actualReadableBytes();
    }

    /** The chunk size the peer currently uses. */
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes()); // after a framing error nothing can be trusted; the channel closes
            return;
        }
        int start = in.readerIndex();
        try {
            if (!decodeChunk(in, out)) {
                in.readerIndex(start);
            }
        } catch (RtmpProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            ctx.close();
            throw e;
        }
    }

    private boolean decodeChunk(ByteBuf in, List<Object> out) {
        int first = in.readUnsignedByte();
        int fmt = first >>> 6;
        int csid = first & 0x3F;
        if (csid == 0) {
            if (!in.isReadable()) {
                return false;
            }
            csid = 64 + in.readUnsignedByte();
        } else if (csid == 1) {
            if (in.readableBytes() < 2) {
                return false;
            }
            csid = 64 + in.readUnsignedShortLE();
        }
        if (csid > maxChunkStreamId) {
            throw new RtmpProtocolException("chunk stream id " + csid + " exceeds the maximum of " + maxChunkStreamId);
        }
        ChunkStream stream = streams.get(csid);
        if (fmt != 0 && stream == null) {
            throw new RtmpProtocolException("received a fmt " + fmt + " chunk on chunk stream " + csid
                    + " without a previous fmt 0 header (RTMP 1.0 §5.3.1.2)");
        }
        if (in.readableBytes() < HEADER_SIZE[fmt]) {
            return false;
        }
        long field = fmt <= 2 ? in.readUnsignedMedium() : 0;
        int length = fmt <= 1 ? in.readUnsignedMedium() : stream.length;
        int typeId = fmt <= 1 ? in.readUnsignedByte() : stream.typeId;
        int streamId = fmt == 0 ? in.readIntLE() : stream.streamId;
        boolean continuation = fmt == 3 && stream.inProgress();
        if (fmt != 3 && stream != null && stream.inProgress()) {
            throw new RtmpProtocolException("new fmt " + fmt + " header on chunk stream " + csid + " while "
                    + (stream.length - stream.received) + " bytes of the previous message were still to come");
        }
        boolean extended = fmt == 3 ? stream.extended : field == RtmpChunkEncoder.EXTENDED_MARK;
        if (extended) {
            if (in.readableBytes() < 4) {
                return false;
            }
            long ext = in.readUnsignedInt();
            if (fmt != 3) {
                field = ext;
            }
        }
        if (!continuation && length > maxMessageSize) {
            throw new RtmpProtocolException("message of " + length + " bytes (type " + typeId + ") on chunk stream "
                    + csid + " exceeds the maximum of " + maxMessageSize + " bytes");
        }
        int remaining = continuation ? stream.length - stream.received : length;
        int size = Math.min(chunkSize, remaining);
        if (in.readableBytes() < size) {
            return false;
        }
        // The whole chunk is buffered: from here on state changes.
        if (stream == null) {
            stream = new ChunkStream();
            streams.put(csid, stream);
        }
        if (!continuation) {
            long timestamp;
            if (fmt == 0) {
                timestamp = field;
            } else if (fmt == 3) {
                timestamp = stream.timestamp + stream.timestampField; // same delta again (FFmpeg rtmppkt.c)
            } else {
                timestamp = stream.timestamp + field;
            }
            if (fmt != 3) {
                stream.timestampField = field;
                stream.extended = extended;
            }
            stream.timestamp = timestamp & RtmpMessage.MAX_TIMESTAMP;
            stream.length = length;
            stream.typeId = typeId;
            stream.streamId = streamId;
            stream.received = 0;
            stream.payload = NO_BYTES;
            stream.counted = size < length;
            if (stream.counted) {
                if (messagesInProgress >= MAX_MESSAGES_IN_PROGRESS) {
                    throw new RtmpProtocolException("more than " + MAX_MESSAGES_IN_PROGRESS + " messages in "
                            + "progress at once (chunk stream " + csid + " opened another); the server interleaves "
                            + "too many chunk streams");
                }
                messagesInProgress++;
            }
        }
        ensureCapacity(stream, stream.received + size);
        in.readBytes(stream.payload, stream.received, size);
        stream.received += size;
        if (stream.received == stream.length) {
            RtmpMessage message = new RtmpMessage(csid, stream.typeId, stream.timestamp, stream.streamId,
                    stream.payload);
            release(stream);
            applyControl(message);
            out.add(message);
        }
        return true;
    }

    /**
     * Grows the buffer of {@code stream} to hold {@code needed} bytes: doubling, never past the declared length, and
     * only while the partial messages of this connection stay within {@code maxPendingBytes}. A message that
     * completes in its first chunk is allocated at its length and never counts as pending.
     */
    private void ensureCapacity(ChunkStream stream, int needed) {
        byte[] old = stream.payload;
        if (needed <= old.length) {
            return;
        }
        int capacity = (int) Math.min(stream.length, Math.max(needed, 2L * old.length));
        if (stream.counted) {
            long pending = pendingBytes - old.length + capacity;
            if (pending > maxPendingBytes) {
                throw new RtmpProtocolException("partial messages would hold " + pending + " bytes, more than the "
                        + "maximum of " + maxPendingBytes + " (twice maxIncomingMessageSize); the server "
                        + "interleaves too many large messages");
            }
            pendingBytes = pending;
        }
        stream.payload = Arrays.copyOf(old, capacity);
    }

    /** Forgets the complete or aborted message of {@code stream} and what it held. */
    private void release(ChunkStream stream) {
        if (stream.counted) {
            pendingBytes -= stream.payload.length;
            messagesInProgress--;
            stream.counted = false;
        }
        stream.payload = null;
    }

    private void applyControl(RtmpMessage message) {
        if (message.typeId() == RtmpMessageTypes.SET_CHUNK_SIZE) {
            long size = readUint32(message, "Set Chunk Size");
            if (size < 1 || size > MAX_CHUNK_SIZE) {
                throw new RtmpProtocolException("peer set chunk size " + size + ", outside the accepted 1.."
                        + MAX_CHUNK_SIZE + " (RTMP 1.0 §5.4.1)");
            }
            chunkSize = (int) size;
        } else if (message.typeId() == RtmpMessageTypes.ABORT) {
            ChunkStream aborted = streams.get((int) readUint32(message, "Abort"));
            if (aborted != null && aborted.inProgress()) {
                release(aborted);
            }
        }
    }

    private static long readUint32(RtmpMessage message, String name) {
        byte[] p = message.payload();
        if (p.length < 4) {
            throw new RtmpProtocolException(name + " message has " + p.length + " bytes, expected 4");
        }
        return ((long) (p[0] & 0xFF) << 24) | ((p[1] & 0xFF) << 16) | ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
    }
}
