package io.camrelay.media;

import java.util.Arrays;
import java.util.Objects;

/**
 * One FLV tag: what goes into an FLV file after the 11-byte tag header, and what an RTMP message of the same type
 * carries (docs/protocols.md A4–A7). An immutable value (docs/design.md §3): the public constructor
 * and factories copy the body they are given and {@link #body()} returns a copy, so no outside caller can change a
 * tag; {@link #bodyUnsafe()} hands the array itself to writers that only read it.
 *
 * <p>A final class rather than a record because a record's canonical constructor cannot be bypassed: the taggers of
 * this package build a fresh body per tag and hand it over with {@link #ofOwnedBody} (issue 6: the copy in the
 * constructor was one of the per-frame allocations), and {@link #withTimestamp} shares the body of the tag it
 * derives from, since no tag ever modifies its body.
 */
public final class FlvTag {

    /** Largest body an FLV tag header can describe (24-bit DataSize). */
    public static final int MAX_BODY_SIZE = 0xFFFFFF;

    private final FlvTagType type;
    private final long timestamp;
    private final boolean keyFrame;
    private final boolean sequenceHeader;
    private final boolean disposable;
    private final byte[] body;

    /**
     * A tag holding a copy of {@code body}.
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
    public FlvTag(FlvTagType type, long timestamp, boolean keyFrame, boolean sequenceHeader, boolean disposable,
            byte[] body) {
        this(Objects.requireNonNull(body, "body").clone(), type, timestamp, keyFrame, sequenceHeader, disposable);
    }

    /** Checks and stores the fields, keeping {@code body} itself (the parameter order tells it from the public one). */
    private FlvTag(byte[] body, FlvTagType type, long timestamp, boolean keyFrame, boolean sequenceHeader,
            boolean disposable) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(body, "body");
        if (timestamp < 0) {
            throw new IllegalArgumentException("FLV tag timestamp must not be negative: " + timestamp);
        }
        if (body.length > MAX_BODY_SIZE) {
            throw new IllegalArgumentException(
                    "FLV tag body of " + body.length + " bytes exceeds the FLV maximum of " + MAX_BODY_SIZE);
        }
        this.type = type;
        this.timestamp = timestamp;
        this.keyFrame = keyFrame;
        this.sequenceHeader = sequenceHeader;
        this.disposable = disposable;
        this.body = body;
    }

    /** A video tag holding a copy of {@code body}. */
    public static FlvTag video(long timestamp, boolean keyFrame, boolean sequenceHeader, boolean disposable,
            byte[] body) {
        return new FlvTag(FlvTagType.VIDEO, timestamp, keyFrame, sequenceHeader, disposable, body);
    }

    /** An audio tag holding a copy of {@code body}. */
    public static FlvTag audio(long timestamp, boolean sequenceHeader, byte[] body) {
        return new FlvTag(FlvTagType.AUDIO, timestamp, false, sequenceHeader, false, body);
    }

    /** A script-data tag (onMetaData) holding a copy of {@code body}. */
    public static FlvTag script(long timestamp, byte[] body) {
        return new FlvTag(FlvTagType.SCRIPT, timestamp, false, false, false, body);
    }

    /**
     * A tag that takes {@code body} over without copying it. Only for code of this package that built the array
     * itself (or keeps it privately) and never modifies it afterwards; everyone else uses the copying factories.
     */
    static FlvTag ofOwnedBody(FlvTagType type, long timestamp, boolean keyFrame, boolean sequenceHeader,
            boolean disposable, byte[] body) {
        return new FlvTag(body, type, timestamp, keyFrame, sequenceHeader, disposable);
    }

    /** Audio, video or script data. */
    public FlvTagType type() {
        return type;
    }

    /** Ms on the stream's timeline (decode time), starting at 0, never negative. */
    public long timestamp() {
        return timestamp;
    }

    /** A video tag holding an IDR picture (also true for sequence headers). */
    public boolean keyFrame() {
        return keyFrame;
    }

    /** An AVC/AAC sequence header (decoder configuration), which a publisher caches and resends. */
    public boolean sequenceHeader() {
        return sequenceHeader;
    }

    /** A video picture no other picture refers to (nal_ref_idc 0), the first to drop under back-pressure. */
    public boolean disposable() {
        return disposable;
    }

    /** A copy of the body. */
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

    /**
     * The FLV codec id the body declares (FLV 10.1 §E.4.2.1, §E.4.3.1): a video tag's low nibble (7 = AVC), an audio
     * tag's high nibble (10 = AAC); -1 for a script tag or an empty body.
     */
    public int codecId() {
        if (body.length == 0 || type == FlvTagType.SCRIPT) {
            return -1;
        }
        return type == FlvTagType.VIDEO ? body[0] & 0x0F : (body[0] & 0xF0) >> 4;
    }

    /** The same tag with another timestamp (publishers rebase timestamps per session); shares the body. */
    public FlvTag withTimestamp(long newTimestamp) {
        return new FlvTag(body, type, newTimestamp, keyFrame, sequenceHeader, disposable);
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
