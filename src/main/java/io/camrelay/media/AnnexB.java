package io.camrelay.media;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits Annex B byte streams (ITU-T H.264 Annex B, also used by H.265) into NAL units: 3-byte ({@code 00 00 01})
 * and 4-byte ({@code 00 00 00 01}) start codes, with the trailing zero bytes before a start code
 * ({@code trailing_zero_8bits}) and at the end removed.
 */
public final class AnnexB {

    /** Reads 8 bytes of a byte[] at any offset, first byte lowest, so lower candidates come first. */
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** 0x01 in every byte: subtracting it borrows out of exactly the zero bytes (and possibly bytes above one). */
    private static final long LOW_BITS = 0x0101_0101_0101_0101L;
    /** 0x80 in every byte: the bit the has-zero-byte test sets for a zero byte. */
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    /** The test bit of the word's last byte, whose following byte is in the next word. */
    private static final long LAST_BYTE_HIGH_BIT = 0x8000_0000_0000_0000L;

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

    /**
     * Index of the next {@code 00 00 01} at or after {@code from}, or -1.
     *
     * <p>Every start code begins with two zero bytes, and coded slice data has few of them (emulation prevention
     * keeps {@code 00 00 0x} out of NAL units and writes {@code 00 00 03} instead). So the scan reads 8 bytes at a
     * time: {@code (w - 0x01..01) & ~w & 0x80..80} flags every zero byte of the word (and, through the borrow, maybe
     * a 01 byte right above one, a harmless false alarm), ANDing it with itself shifted by a byte keeps the zero
     * bytes followed by another zero, and only those (plus a zero in the last byte, whose partner is in the next
     * word) are checked for {@code 00 00 01} one by one, lowest first. Words without such a pair are skipped whole.
     * The last bytes, too few for a word, go through the byte loop.
     */
    static int nextStartCode(byte[] data, int from) {
        int i = from;
        int lastWord = data.length - Long.BYTES;
        while (i <= lastWord) {
            long word = (long) LITTLE_ENDIAN_LONG.get(data, i);
            long zeros = (word - LOW_BITS) & ~word & HIGH_BITS;
            long candidates = zeros & ((zeros >>> Byte.SIZE) | LAST_BYTE_HIGH_BIT);
            while (candidates != 0) {
                int at = i + (Long.numberOfTrailingZeros(candidates) >>> 3);
                if (at + 2 >= data.length) {
                    return -1; // too close to the end for a start code, and so is every later candidate
                }
                if (data[at] == 0 && data[at + 1] == 0 && data[at + 2] == 1) {
                    return at;
                }
                candidates &= candidates - 1;
            }
            i += Long.BYTES;
        }
        return byteLoopStartCode(data, i);
    }

    /** The byte-at-a-time search of {@link #nextStartCode}, for what is left after the last whole word. */
    private static int byteLoopStartCode(byte[] data, int from) {
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
