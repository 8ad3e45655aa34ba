package io.camrelay.simulator;

import io.camrelay.media.AnnexB;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the picture faults ({@link Fault#CORRUPT_PICTURES}, {@link Fault#FOREIGN_PACKETS}, {@link Fault#MULTI_PACKET})
 * make of the pictures a simulated camera sends: pure functions over the bytes, so the session that sends them only
 * asks. H.264 only (the faults' camera clips are H.264).
 */
final class PictureFaults {

    /** One corrupt picture every this many seconds of pictures. */
    static final int CORRUPT_EVERY_SECONDS = 2;
    /** Foreign packets every this many seconds of pictures. */
    static final int FOREIGN_EVERY_SECONDS = 1;
    /** The slice NAL unit types (H.264 Table 7-1): non-IDR 1, IDR 5. */
    private static final int NAL_SLICE = 1;
    private static final int NAL_IDR = 5;
    private static final int NAL_TYPE_MASK = 0x1F;
    /**
     * A slice header whose pic_parameter_set_id is 200, which no clip has (H.264 §7.3.3: first_mb_in_slice ue(0) = 1,
     * slice_type ue(0) = 1, pic_parameter_set_id ue(200) = 0000000 11001001, then stop bits).
     */
    private static final byte[] UNKNOWN_PPS_SLICE = {(byte) 0xC0, (byte) 0x64, (byte) 0x80};
    /**
     * A slice header whose first_mb_in_slice is beyond any picture (ue(v) with 23 leading zeros; the 00 00 03 is
     * the emulation prevention that keeps the zeros from reading as a start code, H.264 §7.4.1).
     */
    private static final byte[] OUT_OF_RANGE_SLICE = {0x00, 0x00, 0x03, 0x01, (byte) 0xFF, (byte) 0x80};

    private PictureFaults() {
    }

    /** Whether picture {@code frameNumber} of a {@code fps} camera is the corrupt one of its 2 s. */
    static boolean corruptsPicture(long frameNumber, int fps) {
        return frameNumber % ((long) CORRUPT_EVERY_SECONDS * fps) == fps;
    }

    /** Whether foreign packets go out after picture {@code frameNumber}. */
    static boolean sendsForeignPackets(long frameNumber, int fps) {
        return frameNumber % ((long) FOREIGN_EVERY_SECONDS * fps) == 0;
    }

    /** The {@code n}-th corrupt version of {@code accessUnit} (Annex B): its parameter sets and SEI kept, its slice broken. */
    static byte[] corrupt(byte[] accessUnit, long n) {
        List<byte[]> nals = new ArrayList<>();
        for (byte[] nal : AnnexB.nalUnits(accessUnit)) {
            int type = nal[0] & NAL_TYPE_MASK;
            if (type == NAL_SLICE || type == NAL_IDR) {
                nals.add(brokenSlice(nal, n));
            } else {
                nals.add(nal);
            }
        }
        return AnnexB.join(nals);
    }

    private static byte[] brokenSlice(byte[] slice, long n) {
        byte[] body = switch ((int) (n % 3)) {
            case 0 -> new byte[] {slice.length > 1 ? slice[1] : 0}; // truncated: cut after one byte of its header
            case 1 -> UNKNOWN_PPS_SLICE;
            default -> OUT_OF_RANGE_SLICE;
        };
        byte[] out = new byte[1 + body.length];
        out[0] = slice[0];
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** A GenericByteData audio packet (0x0020) and a metadata packet (0x0030) stamped {@code timeMs}. */
    static List<byte[]> foreignPackets(long timeMs) {
        return List.of(SimulatorWire.dataPacket(SimulatorWire.GBD_DATA_TYPE_AUDIO, timeMs, new byte[] {0x21, 0x10}),
                metadata(timeMs));
    }

    /** {@code videoPacket} inside the multi-packet wrapper, after a metadata packet. */
    static byte[] wrapped(byte[] videoPacket, long timeMs) {
        return SimulatorWire.multiPacket(metadata(timeMs), videoPacket);
    }

    private static byte[] metadata(long timeMs) {
        return SimulatorWire.dataPacket(SimulatorWire.GBD_DATA_TYPE_METADATA, timeMs,
                "<metadata/>".getBytes(StandardCharsets.US_ASCII));
    }
}
