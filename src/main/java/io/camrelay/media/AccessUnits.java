package io.camrelay.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an elementary stream (Annex B) into access units, one coded picture each with its parameter sets and SEI,
 * as a recorder sends them in GenericByteData packets. A new access unit starts at an access unit delimiter,
 * parameter set or prefix SEI that follows a picture's slices, or at a slice whose first-slice flag is set
 * (H.264 §7.4.1.2.3: {@code first_mb_in_slice == 0}; H.265 §7.4.2.4.4: {@code first_slice_segment_in_pic_flag}).
 * Used by the simulator and tests to cut encoder output into pictures.
 */
public final class AccessUnits {

    private AccessUnits() {
    }

    /**
     * Splits {@code stream} into access units, each returned as Annex B with 4-byte start codes.
     *
     * @param codec {@link VideoCodec#H264} or {@link VideoCodec#H265}
     */
    public static List<byte[]> split(byte[] stream, VideoCodec codec) {
        if (codec != VideoCodec.H264 && codec != VideoCodec.H265) {
            throw new IllegalArgumentException("access units can be found in H.264 and H.265 only, not " + codec);
        }
        boolean hevc = codec == VideoCodec.H265;
        List<byte[]> units = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        boolean currentHasPicture = false;
        for (byte[] nal : AnnexB.nalUnits(stream)) {
            boolean vcl = hevc ? isHevcVcl(nal) : isAvcVcl(nal);
            boolean startsNew;
            if (vcl) {
                startsNew = currentHasPicture && firstSliceOfPicture(nal, hevc);
            } else {
                startsNew = currentHasPicture && startsAccessUnit(nal, hevc);
            }
            if (startsNew) {
                units.add(AnnexB.join(current));
                current.clear();
                currentHasPicture = false;
            }
            current.add(nal);
            currentHasPicture |= vcl;
        }
        if (currentHasPicture) {
            units.add(AnnexB.join(current));
        }
        return units;
    }

    private static boolean isAvcVcl(byte[] nal) {
        int type = nal[0] & 0x1F;
        return type >= 1 && type <= 5;
    }

    private static boolean isHevcVcl(byte[] nal) {
        return ((nal[0] >> 1) & 0x3F) < 32 && nal.length >= 2;
    }

    private static boolean firstSliceOfPicture(byte[] nal, boolean hevc) {
        int headerLength = hevc ? 2 : 1;
        // Both flags are the first bit after the NAL header (ue(v) of 0 is the single bit 1).
        return nal.length > headerLength && (nal[headerLength] & 0x80) != 0;
    }

    private static boolean startsAccessUnit(byte[] nal, boolean hevc) {
        if (hevc) {
            int type = (nal[0] >> 1) & 0x3F;
            return type == 32 || type == 33 || type == 34 || type == 35 || type == 39; // VPS SPS PPS AUD prefix SEI
        }
        int type = nal[0] & 0x1F;
        return type == 6 || type == 7 || type == 8 || type == 9; // SEI SPS PPS AUD
    }
}
