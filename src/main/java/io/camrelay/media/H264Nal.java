package io.camrelay.media;

/** H.264 NAL unit header fields and the nal_unit_type values CamRelay acts on (ITU-T H.264 §7.3.1, Table 7-1). */
final class H264Nal {

    /** Coded slice of a non-IDR picture. */
    static final int SLICE = 1;
    /** Coded slice of an IDR picture: the only safe key frame (docs/protocols.md A5). */
    static final int IDR = 5;
    /** Supplemental enhancement information: harmless, passed through. */
    static final int SEI = 6;
    /** Sequence parameter set: moved into the AVC sequence header. */
    static final int SPS = 7;
    /** Picture parameter set: moved into the AVC sequence header. */
    static final int PPS = 8;
    /** Access unit delimiter: dropped in FLV. */
    static final int AUD = 9;
    /** End of sequence: dropped in FLV. */
    static final int END_OF_SEQUENCE = 10;
    /** End of stream: dropped in FLV. */
    static final int END_OF_STREAM = 11;
    /** Filler data: dropped in FLV. */
    static final int FILLER = 12;

    private H264Nal() {
    }

    /** nal_unit_type of a NAL unit's first byte. */
    static int type(byte header) {
        return header & 0x1F;
    }

    /** nal_ref_idc of a NAL unit's first byte: 0 means no other picture refers to this one. */
    static int refIdc(byte header) {
        return (header >> 5) & 0x03;
    }

    /** Whether the type is a coded slice (VCL NAL unit) CamRelay understands: 1 (non-IDR) or 5 (IDR). */
    static boolean isSlice(int type) {
        return type == SLICE || type == IDR || type == 2; // 2: data partition A, which carries the slice header
    }

    /** Whether FLV must not carry the NAL unit in a picture tag (docs/protocols.md A5: parameter sets, AUD, EOS, filler). */
    static boolean droppedFromPicture(int type) {
        return type == SPS || type == PPS || type == AUD || type == END_OF_SEQUENCE || type == END_OF_STREAM
                || type == FILLER;
    }
}
