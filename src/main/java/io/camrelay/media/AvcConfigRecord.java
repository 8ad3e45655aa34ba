package io.camrelay.media;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;

/**
 * Builds the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1) that an AVC sequence header tag carries
 * (docs/protocols.md A5): one SPS, its PPSs, 4-byte NAL lengths, and for the High profiles the
 * chroma format and bit depths.
 */
final class AvcConfigRecord {

    /** configurationVersion. */
    static final int CONFIGURATION_VERSION = 1;
    /** {@code 111111} reserved bits + lengthSizeMinusOne = 3: NAL units carry 4-byte lengths. */
    static final int LENGTH_SIZE_BYTE = 0xFF;
    /** {@code 111} reserved bits above numOfSequenceParameterSets. */
    static final int NUM_SPS_RESERVED = 0xE0;
    /** profile_idc values whose record has the chroma/bit-depth extension (ISO/IEC 14496-15 §5.3.3.1.2). */
    private static final List<Integer> EXTENSION_PROFILES = List.of(100, 110, 122, 144);
    /** A parameter set's length is a 16-bit field. */
    static final int MAX_PARAMETER_SET_LENGTH = 0xFFFF;
    /** numOfPictureParameterSets is an 8-bit field. */
    static final int MAX_PPS_COUNT = 255;

    private AvcConfigRecord() {
    }

    /**
     * The record for one SPS NAL unit and its PPS NAL units (each with its header byte, emulation prevention kept).
     *
     * @throws H264SyntaxException when the SPS cannot be parsed or a parameter set does not fit the record
     */
    public static byte[] encode(byte[] spsNal, List<byte[]> ppsNals) {
        H264Sps sps = H264Sps.parse(spsNal);
        if (ppsNals.isEmpty() || ppsNals.size() > MAX_PPS_COUNT) {
            throw new H264SyntaxException(String.format(Locale.ROOT,
                    "an AVC configuration record needs 1..%d PPS, got %d", MAX_PPS_COUNT, ppsNals.size()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + spsNal.length + 8 * ppsNals.size());
        out.write(CONFIGURATION_VERSION);
        out.write(spsNal[1]); // AVCProfileIndication = profile_idc
        out.write(spsNal[2]); // profile_compatibility = constraint flags
        out.write(spsNal[3]); // AVCLevelIndication = level_idc
        out.write(LENGTH_SIZE_BYTE);
        out.write(NUM_SPS_RESERVED | 1);
        writeParameterSet(out, spsNal, "SPS");
        out.write(ppsNals.size());
        for (byte[] pps : ppsNals) {
            writeParameterSet(out, pps, "PPS");
        }
        if (EXTENSION_PROFILES.contains(sps.profileIdc())) {
            out.write(0xFC | sps.chromaFormatIdc()); // 111111 + chroma_format
            out.write(0xF8 | (sps.bitDepthLuma() - 8)); // 11111 + bit_depth_luma_minus8
            out.write(0xF8 | (sps.bitDepthChroma() - 8)); // 11111 + bit_depth_chroma_minus8
            out.write(0); // numOfSequenceParameterSetExt
        }
        return out.toByteArray();
    }

    private static void writeParameterSet(ByteArrayOutputStream out, byte[] nal, String what) {
        if (nal.length == 0 || nal.length > MAX_PARAMETER_SET_LENGTH) {
            throw new H264SyntaxException(String.format(Locale.ROOT, "%s of %d bytes does not fit the record "
                    + "(expected 1..%d)", what, nal.length, MAX_PARAMETER_SET_LENGTH));
        }
        out.write(nal.length >>> 8);
        out.write(nal.length);
        out.writeBytes(nal);
    }
}
