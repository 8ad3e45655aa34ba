package io.camrelay.rtmp.message;

import io.camrelay.rtmp.chunk.RtmpMessage;
import io.camrelay.rtmp.chunk.RtmpMessageTypes;

/** Builds protocol control and user control messages (RTMP 1.0 §5.4, §6.2). */
public final class RtmpControlMessages {

    /** §6.2 user control event: stream begin. */
    public static final int EVENT_STREAM_BEGIN = 0;
    /** §6.2 user control event: the server pings. */
    public static final int EVENT_PING_REQUEST = 6;
    /** §6.2 user control event: answer to a ping, echoing its 4 bytes. */
    public static final int EVENT_PING_RESPONSE = 7;

    private RtmpControlMessages() {
    }

    /** Set Chunk Size (§5.4.1), 31 bits. */
    public static RtmpMessage setChunkSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be 1..2^31-1: " + size);
        }
        return control(RtmpMessageTypes.SET_CHUNK_SIZE, uint32(size));
    }

    /** Acknowledgement of {@code bytesReceived} (§5.4.3; the counter wraps at 2^32). */
    public static RtmpMessage acknowledgement(long bytesReceived) {
        return control(RtmpMessageTypes.ACKNOWLEDGEMENT, uint32(bytesReceived));
    }

    /** Ping response echoing the request's data (§6.2, event 7). */
    public static RtmpMessage pingResponse(byte[] requestData) {
        byte[] p = new byte[2 + requestData.length];
        p[1] = EVENT_PING_RESPONSE;
        System.arraycopy(requestData, 0, p, 2, requestData.length);
        return control(RtmpMessageTypes.USER_CONTROL, p);
    }

    static long uint32(byte[] p, int offset) {
        return ((long) (p[offset] & 0xFF) << 24) | ((p[offset + 1] & 0xFF) << 16) | ((p[offset + 2] & 0xFF) << 8)
                | (p[offset + 3] & 0xFF);
    }

    private static RtmpMessage control(int type, byte[] payload) {
        return new RtmpMessage(RtmpChunkStreams.CONTROL, type, 0, 0, payload);
    }

    private static byte[] uint32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
