package io.camrelay.media;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes an FLV file (FLV 10.1 §E.2–E.3): the 9-byte header ({@code FLV 01 05 00000009}), PreviousTagSize0, then per
 * tag an 11-byte tag header (type, 24-bit size, 24+8-bit timestamp, stream id 0), the body and its PreviousTagSize.
 * Not thread-safe; closes the stream it was given.
 */
public final class FlvFileWriter implements Closeable {

    /** FLV header length, the value of its DataOffset field. */
    static final int HEADER_LENGTH = 9;
    /** Tag header length (§E.4.1). */
    public static final int TAG_HEADER_LENGTH = 11;
    /** FLV version 1. */
    static final int VERSION = 1;
    /** TypeFlags bit: audio tags present. */
    static final int FLAG_AUDIO = 0x04;
    /** TypeFlags bit: video tags present. */
    static final int FLAG_VIDEO = 0x01;
    /** Timestamps are 24 bits plus an 8-bit extension: 32 bits of ms. */
    static final long MAX_TIMESTAMP = 0xFFFF_FFFFL;

    private final OutputStream out;
    private final byte[] tagHeader = new byte[TAG_HEADER_LENGTH];
    private long bytesWritten;

    /** Starts a file with audio and video on {@code out}, writing the header and PreviousTagSize0. */
    public FlvFileWriter(OutputStream out) throws IOException {
        this(out, true, true);
    }

    /** Starts a file on {@code out} declaring the given tracks. */
    public FlvFileWriter(OutputStream out, boolean audio, boolean video) throws IOException {
        this.out = out;
        out.write(fileHeader(audio, video));
        out.write(new byte[4]); // PreviousTagSize0
        bytesWritten = HEADER_LENGTH + 4;
    }

    /** The FLV file header. */
    public static byte[] fileHeader(boolean audio, boolean video) {
        return new byte[] {'F', 'L', 'V', VERSION, (byte) ((audio ? FLAG_AUDIO : 0) | (video ? FLAG_VIDEO : 0)), 0,
            0, 0, HEADER_LENGTH};
    }

    /** Writes one tag and its PreviousTagSize. */
    public void write(FlvTag tag) throws IOException {
        tagHeader(tag, tagHeader);
        out.write(tagHeader);
        tag.writeBody(0, tag.size(), out::write);
        int previousTagSize = TAG_HEADER_LENGTH + tag.size();
        out.write(new byte[] {(byte) (previousTagSize >>> 24), (byte) (previousTagSize >>> 16),
            (byte) (previousTagSize >>> 8), (byte) previousTagSize});
        bytesWritten += previousTagSize + 4L;
    }

    /** Fills {@code header} (11 bytes) with the tag header of {@code tag}. */
    public static void tagHeader(FlvTag tag, byte[] header) {
        long ts = tag.timestamp();
        if (ts > MAX_TIMESTAMP) {
            throw new IllegalArgumentException("FLV timestamp " + ts + " ms exceeds the 32-bit maximum "
                    + MAX_TIMESTAMP);
        }
        int size = tag.size();
        header[0] = (byte) tag.type().code();
        header[1] = (byte) (size >>> 16);
        header[2] = (byte) (size >>> 8);
        header[3] = (byte) size;
        header[4] = (byte) (ts >>> 16);
        header[5] = (byte) (ts >>> 8);
        header[6] = (byte) ts;
        header[7] = (byte) (ts >>> 24); // TimestampExtended: the upper 8 bits
        header[8] = 0; // StreamID, always 0
        header[9] = 0;
        header[10] = 0;
    }

    /** Bytes written so far, header included. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Flushes the underlying stream. */
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
