package io.camrelay.media;

import java.util.Arrays;
import java.util.Objects;

/**
 * One FLV tag: what goes into an FLV file after the 11-byte tag header, and what an RTMP message of the same type
 * carries (docs/protocols.md A4–A7). An immutable value (docs/design.md §3): the public constructor
 * and factories copy the body they are given and {@link #body()} returns a copy, so no outside caller can change a
 * tag; {@link #bodyUnsafe()} hands the array itself to writers that only read it.
 *
 * <p>A picture's tag from {@link AvcTagger} does not copy its NAL units: it holds its 5-byte video tag header and
 * the 4-byte length of each NAL unit, and reads the NAL units themselves from the access unit they came from (one
 * 20 KB copy per picture fewer, docs/performance.md). {@link #writeBody} hands writers the body in those pieces;
 * {@link #bodyUnsafe()} joins them once, for writers that want one array.
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
    /** The body, or null for a picture read from its access unit (the three fields below). */
    private final byte[] body;
    /** Such a picture's video tag header, then the big-endian length of each of its NAL units. */
    private final byte[] head;
    /** The Annex B access unit its NAL units are read from (never modified: {@link VideoTagger#tag}). */
    private final byte[] source;
    /** From and to of each of its NAL units in {@link #source}. */
    private final int[] bounds;
    private final int size;
    /** Such a picture's body joined, once {@link #bodyUnsafe()} was asked for it. */
    private volatile byte[] joined;

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
        checkTimestamp(timestamp);
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
        this.head = null;
        this.source = null;
        this.bounds = null;
        this.size = body.length;
    }

    /** A picture whose NAL units stay in {@code source}: see {@link #ofAccessUnit}. */
    private FlvTag(long timestamp, boolean keyFrame, boolean disposable, byte[] head, byte[] source, int[] bounds) {
        checkTimestamp(timestamp);
        int nals = bounds.length / 2;
        if (head.length != AvcTagger.VIDEO_TAG_HEADER_LENGTH + AvcTagger.NAL_LENGTH_SIZE * nals
                || bounds.length % 2 != 0) {
            throw new IllegalArgumentException(head.length + " header bytes for " + nals + " NAL units");
        }
        long total = head.length;
        for (int i = 0; i < bounds.length; i += 2) {
            if (bounds[i] < 0 || bounds[i] > bounds[i + 1] || bounds[i + 1] > source.length) {
                throw new IllegalArgumentException("NAL unit " + bounds[i] + ".." + bounds[i + 1] + " outside the "
                        + source.length + " bytes of its access unit");
            }
            total += bounds[i + 1] - bounds[i];
        }
        if (total > MAX_BODY_SIZE) {
            throw new IllegalArgumentException(
                    "FLV tag body of " + total + " bytes exceeds the FLV maximum of " + MAX_BODY_SIZE);
        }
        this.type = FlvTagType.VIDEO;
        this.timestamp = timestamp;
        this.keyFrame = keyFrame;
        this.sequenceHeader = false;
        this.disposable = disposable;
        this.body = null;
        this.head = head;
        this.source = source;
        this.bounds = bounds;
        this.size = (int) total;
    }

    /** The same picture at another time: shares everything. */
    private FlvTag(FlvTag picture, long timestamp) {
        this.type = picture.type;
        this.timestamp = timestamp;
        this.keyFrame = picture.keyFrame;
        this.sequenceHeader = picture.sequenceHeader;
        this.disposable = picture.disposable;
        this.body = picture.body;
        this.head = picture.head;
        this.source = picture.source;
        this.bounds = picture.bounds;
        this.size = picture.size;
        this.joined = picture.joined;
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

    /**
     * An AVC picture whose body is {@code head}'s video tag header, then each NAL unit [bounds[2i], bounds[2i+1]) of
     * {@code source} after its 4-byte length in {@code head}; the NAL units are not copied. Only for {@link AvcTagger},
     * which owns {@code head} and {@code bounds} and whose callers never modify {@code source} afterwards.
     */
    static FlvTag ofAccessUnit(long timestamp, boolean keyFrame, boolean disposable, byte[] head, byte[] source,
            int[] bounds) {
        return new FlvTag(timestamp, keyFrame, disposable, head, source, bounds);
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
        return bodyUnsafe().clone();
    }

    /**
     * The body itself, for writers that copy it to the wire and never modify it (a picture read from its access unit
     * is joined into one array the first time; {@link #writeBody} does without).
     */
    public byte[] bodyUnsafe() {
        if (body != null) {
            return body;
        }
        byte[] j = joined;
        if (j == null) {
            j = new byte[size];
            copyBody(j, 0);
            joined = j;
        }
        return j;
    }

    /** Copies the whole body into {@code target} from {@code offset}. */
    public void copyBody(byte[] target, int offset) {
        Objects.checkFromIndexSize(offset, size, target.length);
        int[] at = {offset};
        writeBody(0, size, (array, from, length) -> {
            System.arraycopy(array, from, target, at[0], length);
            at[0] += length;
        });
    }

    /** The body's length in bytes. */
    public int size() {
        return size;
    }

    /**
     * Receives a piece of a tag's body: {@code length} bytes of {@code array} from {@code offset}, not to modify; may
     * throw what its destination throws ({@code OutputStream::write} an {@code IOException}), which
     * {@link #writeBody} passes on.
     */
    @FunctionalInterface
    public interface BodyWriter<E extends Exception> {
        void write(byte[] array, int offset, int length) throws E;
    }

    /**
     * Hands {@code writer} the body's bytes [{@code from}, {@code from + length}) in order, in the pieces the tag
     * holds them in (one for most tags; header, lengths and NAL units for a picture read from its access unit),
     * without copying them.
     */
    public <E extends Exception> void writeBody(int from, int length, BodyWriter<E> writer) throws E {
        if (from < 0 || length < 0 || from + length > size) {
            throw new IndexOutOfBoundsException("bytes " + from + ".." + (from + length) + " of a " + size
                    + "-byte body");
        }
        if (body != null) {
            if (length > 0) {
                writer.write(body, from, length);
            }
            return;
        }
        int end = from + length;
        int nals = bounds.length / 2;
        // pieces: header + first length, NAL 0, second length, NAL 1, ...
        int pos = piece(head, 0, AvcTagger.VIDEO_TAG_HEADER_LENGTH + (nals > 0 ? AvcTagger.NAL_LENGTH_SIZE : 0), 0,
                from, end, writer);
        for (int i = 0; i < nals && pos < end; i++) {
            if (i > 0) {
                pos = piece(head, AvcTagger.VIDEO_TAG_HEADER_LENGTH + AvcTagger.NAL_LENGTH_SIZE * i,
                        AvcTagger.NAL_LENGTH_SIZE, pos, from, end, writer);
            }
            pos = piece(source, bounds[2 * i], bounds[2 * i + 1] - bounds[2 * i], pos, from, end, writer);
        }
    }

    /** Writes what of {@code array[offset, offset+length)}, at body position {@code pos}, lies in [from, end). */
    private static <E extends Exception> int piece(byte[] array, int offset, int length, int pos, int from, int end,
            BodyWriter<E> writer) throws E {
        int lo = Math.max(from, pos);
        int hi = Math.min(end, pos + length);
        if (lo < hi) {
            writer.write(array, offset + lo - pos, hi - lo);
        }
        return pos + length;
    }

    /** Byte {@code index} of the body, 0..255, read where the tag holds it. */
    public int bodyByte(int index) {
        Objects.checkIndex(index, size);
        if (body != null) {
            return body[index] & 0xFF;
        }
        if (index < AvcTagger.VIDEO_TAG_HEADER_LENGTH) {
            return head[index] & 0xFF;
        }
        int[] value = new int[1];
        writeBody(index, 1, (array, offset, length) -> value[0] = array[offset] & 0xFF);
        return value[0];
    }

    /** The body's first byte (FrameType|CodecID, SoundFormat…), or -1 for an empty body. */
    private int firstByte() {
        if (body == null) {
            return head[0] & 0xFF;
        }
        return body.length == 0 ? -1 : body[0] & 0xFF;
    }

    /**
     * The FLV codec id the body declares (FLV 10.1 §E.4.2.1, §E.4.3.1): a video tag's low nibble (7 = AVC), an audio
     * tag's high nibble (10 = AAC); -1 for a script tag or an empty body.
     */
    public int codecId() {
        int first = firstByte();
        if (first < 0 || type == FlvTagType.SCRIPT) {
            return -1;
        }
        return type == FlvTagType.VIDEO ? first & 0x0F : (first & 0xF0) >> 4;
    }

    /** The same tag with another timestamp (publishers rebase timestamps per session); shares the body. */
    public FlvTag withTimestamp(long newTimestamp) {
        checkTimestamp(newTimestamp);
        return new FlvTag(this, newTimestamp);
    }

    private static void checkTimestamp(long timestamp) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("FLV tag timestamp must not be negative: " + timestamp);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlvTag t && t.type == type && t.timestamp == timestamp && t.keyFrame == keyFrame
                && t.sequenceHeader == sequenceHeader && t.disposable == disposable && t.size == size
                && Arrays.equals(t.bodyUnsafe(), bodyUnsafe());
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, timestamp, keyFrame, sequenceHeader, disposable) * 31
                + Arrays.hashCode(bodyUnsafe());
    }

    @Override
    public String toString() {
        return "FlvTag[" + type + " ts=" + timestamp + (keyFrame ? " key" : "") + (sequenceHeader ? " seqhdr" : "")
                + (disposable ? " disposable" : "") + " " + size + " bytes]";
    }
}
