package io.camrelay.rtmp.message;

/** Chunk stream ids CamRelay sends on, as FFmpeg does (docs/protocols.md A2 "Chunk stream ids by client"). */
public final class RtmpChunkStreams {
    /** RTMP 1.0 §5.4: protocol control messages travel on chunk stream 2. */
    public static final int CONTROL = 2;
    /** NetConnection commands (connect, createStream, ...). */
    public static final int COMMAND = 3;
    /** Audio and metadata. */
    public static final int AUDIO_AND_DATA = 4;
    /** Video. */
    public static final int VIDEO = 6;
    /** The publish command. */
    public static final int PUBLISH = 8;

    private RtmpChunkStreams() {
    }
}
