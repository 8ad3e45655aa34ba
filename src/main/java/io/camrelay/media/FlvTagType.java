package io.camrelay.media;

/** FLV tag types (FLV 10.1 §E.4.1), which are also the RTMP message type ids of the same data. */
public enum FlvTagType {
    AUDIO(8),
    VIDEO(9),
    SCRIPT(18);

    private final int code;

    FlvTagType(int code) {
        this.code = code;
    }

    /** The TagType byte of the FLV tag header and the RTMP message type id. */
    public int code() {
        return code;
    }
}
