package io.camrelay.media;

import java.util.Locale;

/**
 * The 32-byte big-endian header of a GenericByteData video stream packet (docs/protocols.md §2.1),
 * which the ImageServer sends once per coded picture. The payload is everything after the header, up to
 * {@link #totalLength()}.
 *
 * @param dataType          0x0010 video, 0x0020 audio, 0x0030 metadata
 * @param totalLength       the packet length, header included
 * @param codecId           the codec id (§2.2), see {@link VideoCodec}
 * @param sequence          the packet sequence number, uint16, wraps
 * @param flags             bit 0 = SYNC (key frame); other bits undocumented
 * @param syncTimestamp     ms UTC of the latest SYNC picture
 * @param pictureTimestamp  ms UTC of this picture, in decode order
 */
public record GenericByteData(int dataType, int totalLength, int codecId, int sequence, int flags, long syncTimestamp,
        long pictureTimestamp) {

    /** Header length of a video stream packet (§2.1). */
    public static final int HEADER_LENGTH = 32;
    /** Header length of a legacy video block (§2.1). */
    public static final int LEGACY_BLOCK_HEADER_LENGTH = 36;
    /** Data type of a video stream packet. */
    public static final int DATA_TYPE_VIDEO = 0x0010;
    /** Data type of an audio packet. */
    public static final int DATA_TYPE_AUDIO = 0x0020;
    /** Data type of a metadata packet. */
    public static final int DATA_TYPE_METADATA = 0x0030;
    /** Data type of the multi-packet wrapper (16-byte header, then inner packets). */
    public static final int DATA_TYPE_MULTI_PACKET = 0xFEF0;
    /**
     * Header length of the multi-packet wrapper (§2.1: data type, total length with the header included, then
     * fields no source describes, skipped).
     */
    public static final int MULTI_PACKET_HEADER_LENGTH = 16;
    /** Every packet starts with its data type (2 bytes) and total length (4 bytes), §2.1. */
    private static final int LENGTH_FIELD_END = 6;
    /** Flags bit 0: the picture is a SYNC (key) frame. */
    public static final int FLAG_SYNC = 0x0001;

    /** Whether the SYNC flag marks a key frame. */
    public boolean keyFrame() {
        return (flags & FLAG_SYNC) != 0;
    }

    /** The codec this packet declares. */
    public VideoCodec codec() {
        return VideoCodec.fromId(codecId);
    }

    /** The payload length: total length minus the header. */
    public int payloadLength() {
        return totalLength - HEADER_LENGTH;
    }

    /**
     * Parses and validates the header of {@code packet}.
     *
     * @throws LegacyVideoBlockException when the packet is a legacy 36-byte video block
     * @throws GenericByteDataException  when it is too short, of another data type, or its length does not match
     */
    public static GenericByteData parse(byte[] packet) {
        if (packet == null || packet.length < HEADER_LENGTH) {
            throw new GenericByteDataException(String.format(Locale.ROOT,
                    "GenericByteData packet of %d bytes is shorter than the %d-byte header",
                    packet == null ? 0 : packet.length, HEADER_LENGTH));
        }
        int dataType = u16(packet, 0);
        if (dataType != DATA_TYPE_VIDEO) {
            // A legacy video block starts with its codec id (0x0001-0x000F) where a stream packet has its data type.
            if (isLegacyVideoBlock(dataType)) {
                throw new LegacyVideoBlockException(dataType);
            }
            throw new NotVideoPacketException(dataType, String.format(Locale.ROOT,
                    "GenericByteData data type 0x%04X is not a video stream packet (expected 0x%04X)", dataType,
                    DATA_TYPE_VIDEO));
        }
        long totalLength = u32(packet, 2);
        if (totalLength < HEADER_LENGTH) {
            throw new GenericByteDataException(String.format(Locale.ROOT,
                    "GenericByteData total length %d is less than the %d-byte header", totalLength, HEADER_LENGTH));
        }
        if (totalLength > packet.length) {
            throw new GenericByteDataException(String.format(Locale.ROOT,
                    "GenericByteData total length %d exceeds the %d bytes received (truncated packet)", totalLength,
                    packet.length));
        }
        return new GenericByteData(dataType, (int) totalLength, u16(packet, 6), u16(packet, 8), u16(packet, 10),
                i64(packet, 12), i64(packet, 20));
    }

    /**
     * The video stream packet {@code packet} carries: itself when it is one (not copied), else, for a multi-packet
     * wrapper (0xFEF0), its first inner video stream packet, found by walking the inner packets by their total-length
     * fields (§2.1). Packets of other data types are left to {@link #parse}, which refuses them.
     *
     * @throws NotVideoPacketException  for a wrapper without a video stream packet inside
     * @throws GenericByteDataException for a wrapper whose lengths do not add up
     */
    public static byte[] videoPacketIn(byte[] packet) {
        if (packet == null || packet.length < 2 || u16(packet, 0) != DATA_TYPE_MULTI_PACKET) {
            return packet;
        }
        if (packet.length < MULTI_PACKET_HEADER_LENGTH) {
            throw new GenericByteDataException("GenericByteData multi-packet wrapper of " + packet.length
                    + " bytes is shorter than its " + MULTI_PACKET_HEADER_LENGTH + "-byte header");
        }
        long end = u32(packet, 2);
        if (end < MULTI_PACKET_HEADER_LENGTH || end > packet.length) {
            throw new GenericByteDataException("GenericByteData multi-packet wrapper total length " + end
                    + " is outside " + MULTI_PACKET_HEADER_LENGTH + ".." + packet.length);
        }
        int pos = MULTI_PACKET_HEADER_LENGTH;
        while (pos + LENGTH_FIELD_END <= end) {
            long length = u32(packet, pos + 2);
            if (length < LENGTH_FIELD_END || pos + length > end) {
                throw new GenericByteDataException("GenericByteData multi-packet wrapper: inner packet at offset " + pos
                        + " declares " + length + " bytes, " + (end - pos) + " remain");
            }
            if (u16(packet, pos) == DATA_TYPE_VIDEO) {
                return java.util.Arrays.copyOfRange(packet, pos, pos + (int) length);
            }
            pos += (int) length;
        }
        throw new NotVideoPacketException(DATA_TYPE_MULTI_PACKET, "GenericByteData multi-packet wrapper (0xFEF0)"
                + " without a video stream packet inside");
    }

    /** Wraps {@code packets} (whole GenericByteData packets) in a multi-packet wrapper (0xFEF0), as T1 describes. */
    public static byte[] wrap(byte[]... packets) {
        int length = MULTI_PACKET_HEADER_LENGTH;
        for (byte[] p : packets) {
            length += p.length;
        }
        byte[] out = new byte[length];
        putU16(out, 0, DATA_TYPE_MULTI_PACKET);
        putU32(out, 2, length);
        int pos = MULTI_PACKET_HEADER_LENGTH;
        for (byte[] p : packets) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    /** Whether a packet's first uint16 is the codec of a legacy video block (0x0001-0x000F) rather than a data type. */
    public static boolean isLegacyVideoBlock(int firstField) {
        return firstField >= 0x0001 && firstField <= 0x000F;
    }

    /** Writes a complete video stream packet: this header's fields (total length recomputed) plus the payload. */
    public static byte[] encode(int codecId, int sequence, boolean keyFrame, long syncTimestamp, long pictureTimestamp,
            byte[] payload) {
        byte[] out = new byte[HEADER_LENGTH + payload.length];
        writeHeader(out, codecId, sequence, keyFrame, syncTimestamp, pictureTimestamp, payload.length);
        System.arraycopy(payload, 0, out, HEADER_LENGTH, payload.length);
        return out;
    }

    /**
     * A packet of another data type (audio, metadata): the 32-byte header with {@code dataType}, codec 0, and
     * {@code timestamp} as sync and picture time, then {@code payload}.
     */
    public static byte[] encodeData(int dataType, long timestamp, byte[] payload) {
        byte[] out = encode(0, 0, false, timestamp, timestamp, payload);
        putU16(out, 0, dataType);
        return out;
    }

    /**
     * Writes only the 32-byte header of a video stream packet whose payload of {@code payloadLength} bytes follows it,
     * into {@code out[0..31]}: for senders that write the payload from where it already is, without copying it.
     */
    public static void writeHeader(byte[] out, int codecId, int sequence, boolean keyFrame, long syncTimestamp,
            long pictureTimestamp, int payloadLength) {
        putU16(out, 0, DATA_TYPE_VIDEO);
        putU32(out, 2, (long) HEADER_LENGTH + payloadLength);
        putU16(out, 6, codecId);
        putU16(out, 8, sequence & 0xFFFF);
        putU16(out, 10, keyFrame ? FLAG_SYNC : 0);
        putI64(out, 12, syncTimestamp);
        putI64(out, 20, pictureTimestamp);
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    private static long u32(byte[] b, int off) {
        return ((long) u16(b, off) << 16) | u16(b, off + 2);
    }

    private static long i64(byte[] b, int off) {
        return (u32(b, off) << 32) | u32(b, off + 4);
    }

    private static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void putU32(byte[] b, int off, long v) {
        putU16(b, off, (int) (v >>> 16));
        putU16(b, off + 2, (int) v);
    }

    private static void putI64(byte[] b, int off, long v) {
        putU32(b, off, v >>> 32);
        putU32(b, off + 4, v);
    }
}
