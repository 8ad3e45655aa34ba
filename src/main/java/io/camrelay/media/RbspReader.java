package io.camrelay.media;

import java.util.Locale;

/**
 * Reads the bits of a NAL unit's RBSP (ITU-T H.264 §7.2): removes emulation-prevention bytes ({@code 00 00 03},
 * §7.4.1) and decodes fixed-width fields and Exp-Golomb codes (§9.1). Every read is bounded: reading past the end
 * throws {@link H264SyntaxException}, never an index exception.
 */
final class RbspReader {

    /** The longest Exp-Golomb prefix a 32-bit value can have (§9.1: leadingZeroBits ≤ 31). */
    private static final int MAX_EXP_GOLOMB_ZEROS = 31;

    private final byte[] rbsp;
    private final int bitLength;
    private final String what;
    private int bit;

    /**
     * @param data     array holding the NAL unit
     * @param from     first byte of the RBSP (after the NAL header)
     * @param to       end of the NAL unit (exclusive)
     * @param maxBytes how many escaped bytes at most to take (a slice header needs only its first few dozen)
     * @param what     what is being parsed, for error messages ("SPS", "slice header")
     */
    RbspReader(byte[] data, int from, int to, int maxBytes, String what) {
        int end = Math.min(to, from + Math.max(0, maxBytes));
        byte[] out = new byte[Math.max(0, end - from)];
        int n = 0;
        int zeros = 0;
        for (int i = from; i < end; i++) {
            int b = data[i] & 0xFF;
            if (zeros >= 2 && b == 0x03) {
                zeros = 0; // emulation_prevention_three_byte: not part of the RBSP
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = (byte) b;
        }
        this.rbsp = out;
        this.bitLength = n * 8;
        this.what = what;
    }

    /** Reads one bit. */
    boolean flag() {
        return bits(1) == 1;
    }

    /** Reads {@code n} (0..32) bits as an unsigned value, most significant first. */
    long bits(int n) {
        if (n < 0 || n > 32) {
            throw new IllegalArgumentException("cannot read " + n + " bits at once");
        }
        if (bit + n > bitLength) {
            throw truncated(n);
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            int b = rbsp[bit >>> 3] >>> (7 - (bit & 7)) & 1;
            v = (v << 1) | b;
            bit++;
        }
        return v;
    }

    /** Reads {@code n} (0..31) bits as an int. */
    int u(int n) {
        if (n > 31) {
            throw new IllegalArgumentException("cannot read " + n + " bits into an int");
        }
        return (int) bits(n);
    }

    /** Skips {@code n} bits. */
    void skip(int n) {
        if (bit + (long) n > bitLength) {
            throw truncated(n);
        }
        bit += n;
    }

    /** Reads an unsigned Exp-Golomb code, ue(v) (§9.1). */
    long ue() {
        int zeros = 0;
        while (!flag()) {
            zeros++;
            if (zeros > MAX_EXP_GOLOMB_ZEROS) {
                throw new H264SyntaxException(String.format(Locale.ROOT,
                        "%s: Exp-Golomb code with more than %d leading zero bits at bit %d (corrupt data)", what,
                        MAX_EXP_GOLOMB_ZEROS, bit));
            }
        }
        return (1L << zeros) - 1 + bits(zeros);
    }

    /** Reads ue(v) and checks it against the legal maximum of the named syntax element. */
    int ue(String element, long max) {
        long v = ue();
        if (v > max) {
            throw new H264SyntaxException(String.format(Locale.ROOT, "%s: %s is %d, expected 0..%d", what, element, v,
                    max));
        }
        return (int) v;
    }

    /** Reads a signed Exp-Golomb code, se(v) (§9.1.1). */
    long se() {
        long k = ue();
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }

    /** Reads se(v) and checks it against the legal range of the named syntax element. */
    int se(String element, long min, long max) {
        long v = se();
        if (v < min || v > max) {
            throw new H264SyntaxException(String.format(Locale.ROOT, "%s: %s is %d, expected %d..%d", what, element,
                    v, min, max));
        }
        return (int) v;
    }

    /** Bits left in the RBSP (including trailing bits). */
    int bitsLeft() {
        return bitLength - bit;
    }

    private H264SyntaxException truncated(int wanted) {
        return new H264SyntaxException(String.format(Locale.ROOT,
                "%s is truncated: %d more bits wanted at bit %d of %d", what, wanted, bit, bitLength));
    }
}
