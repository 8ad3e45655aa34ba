package io.camrelay.imageserver.session;

import io.camrelay.media.GenericByteData;
import java.util.Locale;

/** What an ImageResponse body holds (docs/protocols.md §1.5, §2.1). */
enum Payload {
    /** Content-length 0: no picture. */
    EMPTY,
    /** A GenericByteData video stream packet whose total length is the body length: passed on. */
    VIDEO_PACKET,
    /**
     * A GenericByteData packet of another data type (audio, metadata, the multi-packet wrapper 0xFEF0) whose total
     * length is the body length: passed on too, for the route to walk (a wrapper) or skip (docs/design.md §7a).
     */
    OTHER_PACKET,
    /** A JPEG picture (starts FF D8; decided by the bytes, not by Content-type). */
    JPEG,
    /** Something else: a legacy video block, a body shorter than the header. */
    NOT_VIDEO_PACKET,
    /** A video stream packet whose total length differs from the body length: a broken stream. */
    LENGTH_MISMATCH;

    private static final int JPEG_SOI_1 = 0xFF;
    private static final int JPEG_SOI_2 = 0xD8;

    static Payload classify(byte[] body) {
        if (body.length == 0) {
            return EMPTY;
        }
        if (body.length >= 2 && (body[0] & 0xFF) == JPEG_SOI_1 && (body[1] & 0xFF) == JPEG_SOI_2) {
            return JPEG;
        }
        int dataType = body.length < 2 ? -1 : u16(body, 0);
        if (dataType == GenericByteData.DATA_TYPE_MULTI_PACKET
                && body.length >= GenericByteData.MULTI_PACKET_HEADER_LENGTH) {
            return totalLength(body) == body.length ? OTHER_PACKET : LENGTH_MISMATCH;
        }
        if (body.length < GenericByteData.HEADER_LENGTH || GenericByteData.isLegacyVideoBlock(dataType)
                || dataType == 0) {
            return NOT_VIDEO_PACKET;
        }
        Payload kind = dataType == GenericByteData.DATA_TYPE_VIDEO ? VIDEO_PACKET : OTHER_PACKET;
        return totalLength(body) == body.length ? kind : LENGTH_MISMATCH;
    }

    /** A short description of a body that is not passed on, for error messages. */
    static String describe(byte[] body) {
        if (body.length < GenericByteData.HEADER_LENGTH) {
            return "a payload of " + body.length + " bytes, shorter than the " + GenericByteData.HEADER_LENGTH
                    + "-byte GenericByteData header";
        }
        int first = u16(body, 0);
        if (first == GenericByteData.DATA_TYPE_VIDEO) {
            return "a GenericByteData packet whose total length " + totalLength(body) + " does not match its "
                    + body.length + "-byte ImageResponse body";
        }
        if (first >= 0x0001 && first <= 0x000F) {
            return String.format(Locale.ROOT, "legacy GenericByteData video blocks (codec 0x%04X)", first);
        }
        return String.format(Locale.ROOT, "payloads of GenericByteData data type 0x%04X (expected 0x%04X)", first,
                GenericByteData.DATA_TYPE_VIDEO);
    }

    /**
     * A body of several GenericByteData video stream packets back to back (one way a recorder might frame a GOP,
     * reference §8.6 question 1), cut into its packets; null unless the packets fill the body exactly.
     */
    static java.util.List<byte[]> splitPackets(byte[] body) {
        java.util.List<byte[]> packets = new java.util.ArrayList<>();
        int at = 0;
        while (at < body.length) {
            if (body.length - at < GenericByteData.HEADER_LENGTH || u16(body, at) != GenericByteData.DATA_TYPE_VIDEO) {
                return null;
            }
            long length = ((long) u16(body, at + 2) << 16) | u16(body, at + 4);
            if (length < GenericByteData.HEADER_LENGTH || length > body.length - at) {
                return null;
            }
            packets.add(java.util.Arrays.copyOfRange(body, at, at + (int) length));
            at += (int) length;
        }
        return packets.size() > 1 ? packets : null;
    }

    private static long totalLength(byte[] body) {
        return ((long) u16(body, 2) << 16) | u16(body, 4);
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }
}
