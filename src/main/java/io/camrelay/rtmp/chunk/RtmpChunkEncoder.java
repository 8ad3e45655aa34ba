package io.camrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.util.collection.IntObjectHashMap;

/**
 * Splits {@link RtmpMessage}s into chunks (RTMP 1.0 §5.3). Picks the smallest header the previous message on the
 * same chunk stream allows (fmt 0 on first use, a new message stream or a timestamp going back; fmt 1 for a new
 * length or type; fmt 2 for a new delta; fmt 3 for an identical delta after a fmt 1/2 header), writes extended
 * timestamps at 0xFFFFFF and repeats them in every fmt 3 chunk of an extended message (§5.3.1.3; FFmpeg and
 * nginx-rtmp read it that way, docs/protocols.md A2). All chunks of one message are written back to back. An outgoing Set
 * Chunk Size message switches this encoder's chunk size after it has been written.
 */
public final class RtmpChunkEncoder extends MessageToByteEncoder<RtmpMessage> {

    /** §5.4.1: chunk size both directions start with. */
    public static final int DEFAULT_CHUNK_SIZE = 128;
    /** §5.3.1.2: a 24-bit timestamp field holding this value means "see the extended timestamp". */
    static final int EXTENDED_MARK = 0xFFFFFF;
    /** Largest basic (3) + message (11) + extended timestamp (4) header. */
    private static final int MAX_HEADER = 18;

    private record Sent(long timestamp, int length, int typeId, int streamId, int fmt, long delta) {
    }

    private final IntObjectHashMap<Sent> last = new IntObjectHashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;

    public RtmpChunkEncoder() {
        super(RtmpMessage.class, false);
    }

    /** The chunk size used for the next message. */
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, RtmpMessage msg, boolean preferDirect) {
        int length = msg.payloadLength();
        int chunks = Math.max(1, (length + chunkSize - 1) / chunkSize);
        return ctx.alloc().ioBuffer(MAX_HEADER + length + (chunks - 1) * 7);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage msg, ByteBuf out) {
        encode(msg, out);
    }

    /** Writes {@code msg} as chunks to {@code out}; only visible for benchmarks and tests. */
    public void encode(RtmpMessage msg, ByteBuf out) {
        int csid = msg.chunkStreamId();
        int length = msg.payloadLength();
        long ts = msg.timestamp();
        Sent prev = last.get(csid);
        int fmt;
        long field;
        if (prev == null || prev.streamId != msg.messageStreamId() || ts < prev.timestamp) {
            fmt = 0;
            field = ts;
        } else {
            field = ts - prev.timestamp;
            if (length != prev.length || msg.typeId() != prev.typeId) {
                fmt = 1;
            } else if (prev.fmt != 0 && field == prev.delta) {
                fmt = 3;
            } else {
                fmt = 2;
            }
        }
        boolean extended = field >= EXTENDED_MARK;
        writeBasicHeader(out, fmt, csid);
        if (fmt <= 2) {
            out.writeMedium(extended ? EXTENDED_MARK : (int) field);
        }
        if (fmt <= 1) {
            out.writeMedium(length);
            out.writeByte(msg.typeId());
        }
        if (fmt == 0) {
            out.writeIntLE(msg.messageStreamId()); // §5.3.1.2.1: the only little-endian field
        }
        if (extended) {
            out.writeInt((int) field);
        }
        int first = Math.min(chunkSize, length);
        msg.writePayload(0, first, out);
        for (int offset = first; offset < length; offset += chunkSize) {
            writeBasicHeader(out, 3, csid);
            if (extended) {
                out.writeInt((int) field);
            }
            msg.writePayload(offset, Math.min(chunkSize, length - offset), out);
        }
        last.put(csid, new Sent(ts, length, msg.typeId(), msg.messageStreamId(), fmt == 3 ? prev.fmt : fmt,
                fmt == 0 ? 0 : field));
        if (msg.typeId() == RtmpMessageTypes.SET_CHUNK_SIZE && length >= 4) {
            byte[] payload = msg.payload();
            int size = ((payload[0] & 0x7F) << 24) | ((payload[1] & 0xFF) << 16) | ((payload[2] & 0xFF) << 8)
                    | (payload[3] & 0xFF);
            if (size > 0) {
                chunkSize = size;
            }
        }
    }

    private static void writeBasicHeader(ByteBuf out, int fmt, int csid) {
        if (csid <= 63) {
            out.writeByte((fmt << 6) | csid);
        } else if (csid <= 319) {
            out.writeByte(fmt << 6);
            out.writeByte(csid - 64);
        } else {
            out.writeByte((fmt << 6) | 1);
            out.writeShortLE(csid - 64);
        }
    }
}
