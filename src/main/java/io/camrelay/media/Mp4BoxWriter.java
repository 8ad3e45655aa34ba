package io.camrelay.media;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes ISO base media boxes (ISO/IEC 14496-12 §4.2) into a reusable in-memory buffer: {@link #begin} opens a box
 * with a placeholder size, {@link #end} patches its 32-bit size, boxes nest. The one box writer of both MP4 writers.
 *
 * <p>A day's sample tables are too large to hold, so a progressive {@code moov} marks them as {@link #external}
 * segments: the enclosing sizes count their length, and {@link #writeTo} streams them from their spool in place.
 *
 * <p>Not thread-safe; {@link #reset} makes it ready for the next box without giving up its buffer.
 */
final class Mp4BoxWriter {

    /** Bytes of a box header with a 32-bit size (size + type, §4.2). */
    static final int HEADER_SIZE = 8;
    /** Bytes of a full box header: the header, version (8 bits) and flags (24 bits), §4.2. */
    static final int FULL_HEADER_SIZE = 12;
    /** Deepest nesting a writer allows; the deepest MP4 path written (moov/trak/mdia/minf/stbl/stsd/avc1/avcC) is 8. */
    static final int MAX_DEPTH = 12;
    private static final long MAX_BOX_SIZE = 0xFFFF_FFFFL;

    /** Streams the bytes of an external segment. */
    @FunctionalInterface
    interface Source {
        void writeTo(OutputStream out) throws IOException;
    }

    /** An external segment: {@code length} bytes that belong at buffer offset {@code at}. */
    private record External(int at, long length, Source source) {
    }

    private byte[] buf;
    private int length;
    private long externalLength;
    private final int[] openAt = new int[MAX_DEPTH];
    private final long[] openLogical = new long[MAX_DEPTH];
    private int depth;
    private final List<External> externals = new ArrayList<>();

    Mp4BoxWriter(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    /** The four-character code of a box type as the 32-bit value written on the wire (§4.2: unsigned int(32)). */
    static int type(String fourCc) {
        if (fourCc.length() != 4) {
            throw new IllegalArgumentException("box type '" + fourCc + "' is not 4 characters");
        }
        return (fourCc.charAt(0) << 24) | (fourCc.charAt(1) << 16) | (fourCc.charAt(2) << 8) | fourCc.charAt(3);
    }

    /** Opens a box of {@code type}; its size is written by the matching {@link #end}. */
    Mp4BoxWriter begin(int type) {
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("boxes nested deeper than " + MAX_DEPTH);
        }
        openAt[depth] = length;
        openLogical[depth] = position();
        depth++;
        u32(0);
        return u32(type);
    }

    /** Opens a full box (§4.2 FullBox): the header, then version and flags. */
    Mp4BoxWriter beginFull(int type, int version, int flags) {
        begin(type);
        return u32((version << 24) | (flags & 0xFF_FFFF));
    }

    /** Closes the innermost open box, writing its size. */
    Mp4BoxWriter end() {
        if (depth == 0) {
            throw new IllegalStateException("end() without an open box");
        }
        depth--;
        long size = position() - openLogical[depth];
        if (size > MAX_BOX_SIZE) {
            throw new IllegalStateException("box of " + size + " bytes exceeds the 32-bit size field");
        }
        putInt(openAt[depth], (int) size);
        return this;
    }

    Mp4BoxWriter u8(int value) {
        ensure(1);
        buf[length++] = (byte) value;
        return this;
    }

    Mp4BoxWriter u16(int value) {
        ensure(2);
        buf[length++] = (byte) (value >>> 8);
        buf[length++] = (byte) value;
        return this;
    }

    Mp4BoxWriter u24(int value) {
        ensure(3);
        buf[length++] = (byte) (value >>> 16);
        buf[length++] = (byte) (value >>> 8);
        buf[length++] = (byte) value;
        return this;
    }

    Mp4BoxWriter u32(int value) {
        ensure(4);
        putInt(length, value);
        length += 4;
        return this;
    }

    /** An unsigned 32-bit field from a long, which must fit. */
    Mp4BoxWriter u32(long value) {
        if (value < 0 || value > MAX_BOX_SIZE) {
            throw new IllegalArgumentException("value " + value + " does not fit an unsigned 32-bit field");
        }
        return u32((int) value);
    }

    Mp4BoxWriter u64(long value) {
        u32((int) (value >>> 32));
        return u32((int) value);
    }

    Mp4BoxWriter bytes(byte[] data) {
        return bytes(data, 0, data.length);
    }

    Mp4BoxWriter bytes(byte[] data, int offset, int count) {
        ensure(count);
        System.arraycopy(data, offset, buf, length, count);
        length += count;
        return this;
    }

    Mp4BoxWriter zeros(int count) {
        ensure(count);
        Arrays.fill(buf, length, length + count, (byte) 0);
        length += count;
        return this;
    }

    /** Marks {@code count} bytes that {@code source} streams at this place when the boxes are written out. */
    Mp4BoxWriter external(long count, Source source) {
        externals.add(new External(length, count, source));
        externalLength += count;
        return this;
    }

    /** Bytes written so far, external segments included. */
    long position() {
        return length + externalLength;
    }

    /** The offset in the buffer of the next byte (for {@link #patchU32}); only meaningful without externals. */
    int mark() {
        return length;
    }

    /** Overwrites the 32-bit field at buffer offset {@code at} (a data offset known only once a box is complete). */
    void patchU32(int at, int value) {
        if (at < 0 || at + 4 > length) {
            throw new IndexOutOfBoundsException("patch at " + at + " outside the " + length + " bytes written");
        }
        putInt(at, value);
    }

    /** Writes everything, streaming the external segments in their places. */
    void writeTo(OutputStream out) throws IOException {
        requireClosed();
        int from = 0;
        for (External e : externals) {
            out.write(buf, from, e.at() - from);
            e.source().writeTo(out);
            from = e.at();
        }
        out.write(buf, from, length - from);
    }

    /** The buffer itself (valid up to {@link #mark()}); only without external segments. */
    byte[] array() {
        requireClosed();
        if (!externals.isEmpty()) {
            throw new IllegalStateException("the boxes hold external segments: use writeTo");
        }
        return buf;
    }

    /** A copy of everything written; only without external segments. */
    byte[] toByteArray() {
        return Arrays.copyOf(array(), length);
    }

    /** Forgets everything written, keeping the buffer. */
    void reset() {
        length = 0;
        externalLength = 0;
        depth = 0;
        externals.clear();
    }

    /** Bytes of heap the writer holds (its buffer). */
    int capacity() {
        return buf.length;
    }

    private void requireClosed() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " boxes still open");
        }
    }

    private void putInt(int at, int value) {
        buf[at] = (byte) (value >>> 24);
        buf[at + 1] = (byte) (value >>> 16);
        buf[at + 2] = (byte) (value >>> 8);
        buf[at + 3] = (byte) value;
    }

    private void ensure(int count) {
        if (length + count > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + count));
        }
    }
}
