package io.camrelay.media;

import java.io.ByteArrayOutputStream;

/** Writes RBSP bits (fixed fields, Exp-Golomb) and wraps them into a NAL unit with emulation prevention: builds SPS,
 * PPS and slice headers for cases no encoder here produces. */
final class BitWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int current;
    private int count;

    BitWriter u(int n, long value) {
        for (int i = n - 1; i >= 0; i--) {
            bit((int) (value >>> i) & 1);
        }
        return this;
    }

    BitWriter flag(boolean b) {
        return bit(b ? 1 : 0);
    }

    BitWriter ue(long value) {
        long v = value + 1;
        int len = 64 - Long.numberOfLeadingZeros(v);
        u(len - 1, 0);
        return u(len, v);
    }

    BitWriter se(long value) {
        return ue(value > 0 ? 2 * value - 1 : -2 * value);
    }

    private BitWriter bit(int b) {
        current = (current << 1) | b;
        if (++count == 8) {
            bytes.write(current);
            current = 0;
            count = 0;
        }
        return this;
    }

    /** rbsp_trailing_bits, then the NAL unit: header byte + escaped RBSP. */
    byte[] nal(int header) {
        bit(1);
        while (count != 0) {
            bit(0);
        }
        byte[] rbsp = bytes.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        int zeros = 0;
        for (byte value : rbsp) {
            int b = value & 0xFF;
            if (zeros >= 2 && b <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    static byte[] hex(String hex) {
        String h = hex.replaceAll("\\s", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }
}
