package io.camrelay.rtmp.chunk;

/** RTMP message type ids (RTMP 1.0 §5.4 protocol control, §6.2 user control, §7.1 commands and data). */
public final class RtmpMessageTypes {
    /** §5.4.1: new maximum chunk size for the sender's direction. */
    public static final int SET_CHUNK_SIZE = 1;
    /** §5.4.2: discard the partly received message on a chunk stream. */
    public static final int ABORT = 2;
    /** §5.4.3: bytes received so far. */
    public static final int ACKNOWLEDGEMENT = 3;
    /** §6.2: user control events (stream begin, ping). */
    public static final int USER_CONTROL = 4;
    /** §5.4.4: acknowledgement window size. */
    public static final int WINDOW_ACK_SIZE = 5;
    /** §5.4.5: peer bandwidth. */
    public static final int SET_PEER_BANDWIDTH = 6;
    /** §7.1.5: audio data (an FLV audio tag body). */
    public static final int AUDIO = 8;
    /** §7.1.5: video data (an FLV video tag body). */
    public static final int VIDEO = 9;
    /** §7.1.2: AMF0 data message (metadata). */
    public static final int DATA_AMF0 = 18;
    /** §7.1.1: AMF0 command message. */
    public static final int COMMAND_AMF0 = 20;

    private RtmpMessageTypes() {
    }
}
