package io.camrelay.media;

import java.util.Arrays;
import java.util.Locale;

/**
 * An AVC decoder configuration as an MP4 {@code avc1} sample entry needs it: the AVCDecoderConfigurationRecord
 * (ISO/IEC 14496-15 §5.3.3.1) of an FLV sequence header, copied into {@code avcC} untouched, and the picture size
 * of its first SPS for the sample entry and the track header.
 *
 * @param record          the AVCDecoderConfigurationRecord bytes
 * @param width           displayed width of the first SPS, pixels
 * @param height          displayed height of the first SPS, pixels
 * @param profileIdc      the SPS's profile_idc
 * @param constraintFlags the SPS's byte of constraint_set flags
 * @param levelIdc        the SPS's level_idc
 */
record Mp4VideoConfig(byte[] record, int width, int height, int profileIdc, int constraintFlags, int levelIdc) {

    /** configurationVersion of every record (§5.3.3.1.2). */
    static final int CONFIGURATION_VERSION = 1;
    /** configurationVersion, three profile/level bytes, lengthSizeMinusOne, numOfSequenceParameterSets. */
    static final int FIXED_PART = 6;
    /** The low 5 bits of the sixth byte hold numOfSequenceParameterSets. */
    static final int SPS_COUNT_MASK = 0x1F;
    /** A visual sample entry stores width and height as 16-bit fields (ISO/IEC 14496-12 §12.1.3). */
    static final int MAX_DIMENSION = 0xFFFF;

    Mp4VideoConfig {
        record = record.clone();
        if (width <= 0 || height <= 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "picture size %dx%d does not fit a sample entry (expected 1..%d each)", width, height,
                    MAX_DIMENSION));
        }
    }

    /**
     * Parses the record in {@code body[from..]} (an FLV AVC sequence header after its 5-byte video tag header).
     *
     * @param timestamp the tag's timestamp, for the error message
     * @throws Mp4FormatException when the record is truncated, of another version, or its first SPS is malformed
     */
    static Mp4VideoConfig parse(byte[] body, int from, long timestamp) {
        int length = body.length - from;
        if (length < FIXED_PART + 1 || body[from] != CONFIGURATION_VERSION) {
            throw new Mp4FormatException(String.format(Locale.ROOT, "AVC sequence header at %d ms: %d bytes, "
                    + "configurationVersion %d (expected at least %d bytes of version %d, ISO/IEC 14496-15 §5.3.3.1)",
                    timestamp, length, length > 0 ? body[from] : -1, FIXED_PART + 1, CONFIGURATION_VERSION));
        }
        int spsCount = body[from + 5] & SPS_COUNT_MASK;
        int pos = from + FIXED_PART;
        int spsFrom = -1;
        int spsTo = -1;
        for (int i = 0; i < spsCount; i++) {
            int end = parameterSetEnd(body, pos, "SPS", timestamp);
            if (i == 0) {
                spsFrom = pos + 2;
                spsTo = end;
            }
            pos = end;
        }
        if (pos >= body.length) {
            throw truncated(timestamp, "numOfPictureParameterSets");
        }
        int ppsCount = body[pos++] & 0xFF;
        for (int i = 0; i < ppsCount; i++) {
            pos = parameterSetEnd(body, pos, "PPS", timestamp);
        }
        if (spsCount == 0 || ppsCount == 0) {
            throw new Mp4FormatException(String.format(Locale.ROOT, "AVC sequence header at %d ms has %d SPS and %d "
                    + "PPS (expected at least one of each)", timestamp, spsCount, ppsCount));
        }
        H264Sps sps;
        try {
            sps = H264Sps.parse(body, spsFrom, spsTo);
        } catch (H264SyntaxException e) {
            throw new Mp4FormatException("AVC sequence header at " + timestamp + " ms: " + e.getMessage(), e);
        }
        return new Mp4VideoConfig(Arrays.copyOfRange(body, from, body.length), sps.width(), sps.height(),
                sps.profileIdc(), sps.constraintFlags(), sps.levelIdc());
    }

    /** The RFC 6381 §3.3 codec string, {@code avc1.PPCCLL}: profile_idc, constraint flags, level_idc in hex. */
    String codecString() {
        return String.format(Locale.ROOT, "avc1.%02X%02X%02X", profileIdc, constraintFlags, levelIdc);
    }

    private static int parameterSetEnd(byte[] body, int pos, String what, long timestamp) {
        if (pos + 2 > body.length) {
            throw truncated(timestamp, what + " length");
        }
        int end = pos + 2 + (((body[pos] & 0xFF) << 8) | (body[pos + 1] & 0xFF));
        if (end > body.length) {
            throw truncated(timestamp, what);
        }
        return end;
    }

    private static Mp4FormatException truncated(long timestamp, String field) {
        return new Mp4FormatException("AVC sequence header at " + timestamp + " ms ends inside its " + field
                + " (expected a complete AVCDecoderConfigurationRecord, ISO/IEC 14496-15 §5.3.3.1)");
    }

    @Override
    public byte[] record() {
        return record.clone();
    }

    /** The record itself, for the box writer, which only reads it. */
    byte[] recordUnsafe() {
        return record;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mp4VideoConfig c && Arrays.equals(c.record, record);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(record);
    }

    @Override
    public String toString() {
        return "Mp4VideoConfig[" + codecString() + " " + width + "x" + height + ", " + record.length + " bytes]";
    }
}
