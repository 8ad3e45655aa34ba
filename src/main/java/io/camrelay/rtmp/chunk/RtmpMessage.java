package io.camrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Objects;

/**
 * One RTMP message as the chunk layer carries it (RTMP 1.0 §5.3.1 and §6.1). The payload is not copied: either an
 * array (nobody modifies a payload after building the message) or, for a media message, a {@link PayloadWriter} that
 * writes the payload's bytes from where they are (a picture's FLV tag body stays in pieces, docs/performance.md).
 * Immutable.
 */
public final class RtmpMessage {

    /** Lowest chunk stream id a message may use (0 and 1 only select the long basic-header forms, §5.3.1.1). */
    public static final int MIN_CHUNK_STREAM_ID = 2;
    /** Highest chunk stream id the 3-byte basic header can express (§5.3.1.1). */
    public static final int MAX_CHUNK_STREAM_ID = 65599;
    /** Largest message length the 3-byte length field can express (§5.3.1.2.2). */
    public static final int MAX_LENGTH = 0xFFFFFF;
    /** Timestamps are 32-bit unsigned (§5.3.1.2.1). */
    public static final long MAX_TIMESTAMP = 0xFFFFFFFFL;

    /** Writes bytes [{@code from}, {@code from + length}) of a payload held elsewhere to {@code out}. */
    @FunctionalInterface
    public interface PayloadWriter {
        void write(int from, int length, ByteBuf out);
    }

    private final int chunkStreamId;
    private final int typeId;
    private final long timestamp;
    private final int messageStreamId;
    private final byte[] payload;
    private final int length;
    private final PayloadWriter writer;

    /**
     * A message holding {@code payload}.
     *
     * @param chunkStreamId   chunk stream it travels on, 2..65599 (§5.3.1.1)
     * @param typeId          message type id, see {@link RtmpMessageTypes}
     * @param timestamp       ms, unsigned 32 bits (§5.3.1.2.1, wraps after 49.7 days)
     * @param messageStreamId message stream id (0 for control and NetConnection commands)
     * @param payload         message body
     */
    public RtmpMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, byte[] payload) {
        this(chunkStreamId, typeId, timestamp, messageStreamId, Objects.requireNonNull(payload, "payload"),
                payload.length, null);
    }

    /** A message of {@code length} bytes that {@code writer} writes when the message is encoded. */
    public RtmpMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, int length,
            PayloadWriter writer) {
        this(chunkStreamId, typeId, timestamp, messageStreamId, null, length, Objects.requireNonNull(writer, "writer"));
    }

    private RtmpMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, byte[] payload,
            int length, PayloadWriter writer) {
        if (chunkStreamId < MIN_CHUNK_STREAM_ID || chunkStreamId > MAX_CHUNK_STREAM_ID) {
            throw new IllegalArgumentException("chunk stream id " + chunkStreamId + " is outside "
                    + MIN_CHUNK_STREAM_ID + ".." + MAX_CHUNK_STREAM_ID);
        }
        if (typeId < 0 || typeId > 255) {
            throw new IllegalArgumentException("message type id " + typeId + " is outside 0..255");
        }
        if (timestamp < 0 || timestamp > MAX_TIMESTAMP) {
            throw new IllegalArgumentException("timestamp " + timestamp + " is outside 0..2^32-1");
        }
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the RTMP maximum of "
                    + MAX_LENGTH);
        }
        this.chunkStreamId = chunkStreamId;
        this.typeId = typeId;
        this.timestamp = timestamp;
        this.messageStreamId = messageStreamId;
        this.payload = payload;
        this.length = length;
        this.writer = writer;
    }

    /** Chunk stream it travels on, 2..65599 (§5.3.1.1). */
    public int chunkStreamId() {
        return chunkStreamId;
    }

    /** Message type id, see {@link RtmpMessageTypes}. */
    public int typeId() {
        return typeId;
    }

    /** Ms, unsigned 32 bits (§5.3.1.2.1). */
    public long timestamp() {
        return timestamp;
    }

    /** Message stream id (0 for control and NetConnection commands). */
    public int messageStreamId() {
        return messageStreamId;
    }

    /** The payload's length in bytes. */
    public int payloadLength() {
        return length;
    }

    /**
     * The payload as one array: the array itself, or for a written payload a new array each call (for readers of
     * control messages and tests; the encoder uses {@link #writePayload}).
     */
    public byte[] payload() {
        if (payload != null) {
            return payload;
        }
        ByteBuf buf = Unpooled.buffer(length, length);
        try {
            writer.write(0, length, buf);
            byte[] out = new byte[length];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    /** Writes payload bytes [{@code from}, {@code from + length}) to {@code out}. */
    public void writePayload(int from, int count, ByteBuf out) {
        if (payload != null) {
            out.writeBytes(payload, from, count);
        } else {
            writer.write(from, count, out);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtmpMessage m && m.chunkStreamId == chunkStreamId && m.typeId == typeId
                && m.timestamp == timestamp && m.messageStreamId == messageStreamId && m.length == length
                && Arrays.equals(m.payload(), payload());
    }

    @Override
    public int hashCode() {
        return Objects.hash(chunkStreamId, typeId, timestamp, messageStreamId) * 31 + Arrays.hashCode(payload());
    }

    @Override
    public String toString() {
        return "RtmpMessage[csid=" + chunkStreamId + " type=" + typeId + " ts=" + timestamp + " msid="
                + messageStreamId + " " + length + " bytes]";
    }
}
