package io.camrelay.rtmp.chunk;

import java.util.Arrays;
import java.util.Objects;

/**
 * One RTMP message as the chunk layer carries it (RTMP 1.0 §5.3.1 and §6.1). The payload array is not copied: the
 * publisher hands FLV tag bodies through without a copy and nobody modifies a payload after building the message.
 *
 * @param chunkStreamId   chunk stream it travels on, 2..65599 (§5.3.1.1)
 * @param typeId          message type id, see {@link RtmpMessageTypes}
 * @param timestamp       ms, unsigned 32 bits (§5.3.1.2.1, wraps after 49.7 days)
 * @param messageStreamId message stream id (0 for control and NetConnection commands)
 * @param payload         message body
 */
public record RtmpMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, byte[] payload) {

    /** Lowest chunk stream id a message may use (0 and 1 only select the long basic-header forms, §5.3.1.1). */
    public static final int MIN_CHUNK_STREAM_ID = 2;
    /** Highest chunk stream id the 3-byte basic header can express (§5.3.1.1). */
    public static final int MAX_CHUNK_STREAM_ID = 65599;
    /** Largest message length the 3-byte length field can express (§5.3.1.2.2). */
    public static final int MAX_LENGTH = 0xFFFFFF;
    /** Timestamps are 32-bit unsigned (§5.3.1.2.1). */
    public static final long MAX_TIMESTAMP = 0xFFFFFFFFL;

    public RtmpMessage {
        Objects.requireNonNull(payload, "payload");
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
        if (payload.length > MAX_LENGTH) {
            throw new IllegalArgumentException("message of " + payload.length + " bytes exceeds the RTMP maximum of "
                    + MAX_LENGTH);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtmpMessage m && m.chunkStreamId == chunkStreamId && m.typeId == typeId
                && m.timestamp == timestamp && m.messageStreamId == messageStreamId
                && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chunkStreamId, typeId, timestamp, messageStreamId) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "RtmpMessage[csid=" + chunkStreamId + " type=" + typeId + " ts=" + timestamp + " msid="
                + messageStreamId + " " + payload.length + " bytes]";
    }
}
