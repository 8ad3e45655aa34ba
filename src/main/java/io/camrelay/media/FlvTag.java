package io.camrelay.media;

import java.util.Arrays;
import java.util.Objects;

/**
 * One FLV tag: what goes into an FLV file after the 11-byte tag header, and what an RTMP message of the same type
 * carries (reference/rtmp-flv-and-peers.md §A4–A7). Immutable: the body array is copied in and never handed out
 * without copying, except through {@link #bodyUnsafe()} for writers that only read it.
 *
 * @param type           audio, video or script data
 * @param timestamp      ms on the stream's timeline (decode time), starting at 0, never negative
 * @param keyFrame       a video tag holding an IDR picture (also true for sequence headers)
 * @param sequenceHeader an AVC/AAC sequence header (decoder configuration), which a publisher caches and resends
 * @param disposable     a video picture no other picture refers to (nal_ref_idc 0), the first to drop under
 *                       back-pressure
 * @param body           the tag body: for video from the FrameType|CodecID byte on, for audio from the
 *                       SoundFormat byte on, for script data the AMF0 values
 */
public record FlvTag(FlvTagType type, long timestamp, boolean keyFrame, boolean sequenceHeader, boolean disposable,
        byte[] body) {

    /** Largest body an FLV tag header can describe (24-bit DataSize). */
    public static final int MAX_BODY_SIZE = 0xFFFFFF;

    public FlvTag {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(body, "body");
        if (timestamp < 0) {
            throw new IllegalArgumentException("FLV tag timestamp must not be negative: " + timestamp);
        }
        if (body.length > MAX_BODY_SIZE) {
            throw new IllegalArgumentException(
                    "FLV tag body of " + body.length + " bytes exceeds the FLV maximum of " + MAX_BODY_SIZE);
        }
        body = body.clone();
    }

    /** A video tag. */
    public static FlvTag video(long timestamp, boolean keyFrame, boolean sequenceHeader, boolean disposable,
            byte[] body) {
        return new FlvTag(FlvTagType.VIDEO, timestamp, keyFrame, sequenceHeader, disposable, body);
    }

    /** An audio tag. */
    public static FlvTag audio(long timestamp, boolean sequenceHeader, byte[] body) {
        return new FlvTag(FlvTagType.AUDIO, timestamp, false, sequenceHeader, false, body);
    }

    /** A script-data tag (onMetaData). */
    public static FlvTag script(long timestamp, byte[] body) {
        return new FlvTag(FlvTagType.SCRIPT, timestamp, false, false, false, body);
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body itself, for writers that copy it to the wire and never modify it. */
    public byte[] bodyUnsafe() {
        return body;
    }

    /** The body's length in bytes. */
    public int size() {
        return body.length;
    }

    /** The same tag with another timestamp (publishers rebase timestamps per session). */
    public FlvTag withTimestamp(long newTimestamp) {
        return new FlvTag(type, newTimestamp, keyFrame, sequenceHeader, disposable, body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlvTag t && t.type == type && t.timestamp == timestamp && t.keyFrame == keyFrame
                && t.sequenceHeader == sequenceHeader && t.disposable == disposable && Arrays.equals(t.body, body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, timestamp, keyFrame, sequenceHeader, disposable) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "FlvTag[" + type + " ts=" + timestamp + (keyFrame ? " key" : "") + (sequenceHeader ? " seqhdr" : "")
                + (disposable ? " disposable" : "") + " " + body.length + " bytes]";
    }
}
