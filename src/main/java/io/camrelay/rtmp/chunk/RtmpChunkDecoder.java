package io.camrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.collection.IntObjectHashMap;
import java.util.List;

/**
 * Reassembles incoming chunks into {@link RtmpMessage}s per chunk stream (RTMP 1.0 §5.3). Handles all four header
 * formats, extended timestamps (also repeated in fmt 3 continuation chunks, §5.3.1.3), and applies the peer's Set
 * Chunk Size and Abort messages itself, because the bytes after them in the same read already depend on them.
 * Every length is checked against a limit as soon as it is read; a broken rule closes the connection with an
 * {@link RtmpProtocolException} naming the value and the limit. The whole chunk is decoded only once it is buffered,
 * so a partial chunk never changes state.
 */
public final class RtmpChunkDecoder extends ByteToMessageDecoder {

    /** Default largest message accepted from the server (nginx-rtmp's own max_message default, docs/protocols.md A2). */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
    /** Largest chunk size a peer may set; §5.4.1 allows 2^31-1, but a whole chunk is buffered before decoding. */
    public static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;
    /** Highest chunk stream id accepted: a server uses a handful; each id costs per-stream state. */
    public static final int DEFAULT_MAX_CHUNK_STREAM_ID = 1024;
    /** Message header sizes for fmt 0..3 (§5.3.1.2). */
    private static final int[] HEADER_SIZE = {11, 7, 3, 0};

    private static final class ChunkStream {
        long timestamp;
        long timestampField;
        boolean extended;
        int length;
        int typeId;
        int streamId;
        byte[] payload;
        int received;

        boolean inProgress() {
            return payload != null;
        }
    }

    private final int maxMessageSize;
    private final int maxChunkStreamId;
    private final IntObjectHashMap<ChunkStream> streams = new IntObjectHashMap<>();
    private int chunkSize = RtmpChunkEncoder.DEFAULT_CHUNK_SIZE;
    private boolean failed;

    /** A decoder with the default limits. */
    public RtmpChunkDecoder() {
        this(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_CHUNK_STREAM_ID);
    }

    /** A decoder refusing messages longer than {@code maxMessageSize} and chunk stream ids above the given one. */
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
            stream.payload = new byte[length];
            stream.received = 0;
        }
        in.readBytes(stream.payload, stream.received, size);
        stream.received += size;
        if (stream.received == stream.length) {
            RtmpMessage message = new RtmpMessage(csid, stream.typeId, stream.timestamp, stream.streamId,
                    stream.payload);
            stream.payload = null;
            applyControl(message);
            out.add(message);
        }
        return true;
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
            if (aborted != null) {
                aborted.payload = null;
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
