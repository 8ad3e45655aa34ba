package io.camrelay.media;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits Annex B byte streams (ITU-T H.264 Annex B, also used by H.265) into NAL units: 3-byte ({@code 00 00 01})
 * and 4-byte ({@code 00 00 00 01}) start codes, with the trailing zero bytes before a start code
 * ({@code trailing_zero_8bits}) and at the end removed.
 */
public final class AnnexB {

    private AnnexB() {
    }

    /**
     * The NAL units of {@code data} in order, each without start code and trailing zeros. Bytes before the first
     * start code are ignored; empty NAL units are skipped. Never throws for any input.
     */
    public static List<byte[]> nalUnits(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        forEachNalUnit(data, (from, to) -> out.add(Arrays.copyOfRange(data, from, to)));
        return out;
    }

    /** Receives the bounds of one NAL unit within the array passed to {@link #forEachNalUnit}. */
    @FunctionalInterface
    public interface NalUnitConsumer {
        void accept(int from, int to);
    }

    /** Calls {@code consumer} with the [from, to) bounds of each NAL unit, without copying. */
    public static void forEachNalUnit(byte[] data, NalUnitConsumer consumer) {
        int start = nextStartCode(data, 0);
        while (start >= 0) {
            int nalStart = start + 3;
            int next = nextStartCode(data, nalStart);
            int end = next < 0 ? data.length : next;
            // Zero bytes before a start code (the 4th byte of a 4-byte code, or trailing_zero_8bits) are not payload.
            while (end > nalStart && data[end - 1] == 0) {
                end--;
            }
            if (end > nalStart) {
                consumer.accept(nalStart, end);
            }
            start = next;
        }
    }

    /** Index of the next {@code 00 00 01} at or after {@code from}, or -1. */
    static int nextStartCode(byte[] data, int from) {
        for (int i = from; i + 2 < data.length; i++) {
            if ((data[i + 2] & 0xFF) > 1) {
                i += 2; // no start code can end at i+2 or include it; skip ahead
            } else if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                return i;
            }
        }
        return -1;
    }

    /** Joins NAL units into Annex B with 4-byte start codes. */
    public static byte[] join(List<byte[]> nalUnits) {
        int size = 0;
        for (byte[] nal : nalUnits) {
            size += 4 + nal.length;
        }
        byte[] out = new byte[size];
        int pos = 0;
        for (byte[] nal : nalUnits) {
            out[pos + 3] = 1;
            System.arraycopy(nal, 0, out, pos + 4, nal.length);
            pos += 4 + nal.length;
        }
        return out;
    }
}
