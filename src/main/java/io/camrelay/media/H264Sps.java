package io.camrelay.media;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A decoded H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1, VUI Annex E.1.1): what CamRelay needs for the AVC
 * decoder configuration record, onMetaData and composition times.
 *
 * @param profileIdc            profile_idc (66 Baseline, 77 Main, 100 High, ...)
 * @param constraintFlags       the byte holding constraint_set0..5 flags and the two reserved bits
 * @param levelIdc              level_idc (31 = level 3.1)
 * @param spsId                 seq_parameter_set_id, 0..31
 * @param chromaFormatIdc       0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4 (1 when the profile does not signal it)
 * @param separateColourPlane   separate_colour_plane_flag (4:4:4 only)
 * @param bitDepthLuma          bit depth of luma samples, 8..14
 * @param bitDepthChroma        bit depth of chroma samples, 8..14
 * @param log2MaxFrameNum       log2 of MaxFrameNum, 4..16
 * @param picOrderCntType       pic_order_cnt_type, 0..2
 * @param log2MaxPicOrderCntLsb log2 of MaxPicOrderCntLsb, 4..16 (POC type 0 only, else 0)
 * @param deltaPicOrderAlwaysZero delta_pic_order_always_zero_flag (POC type 1 only)
 * @param offsetForNonRefPic    offset_for_non_ref_pic (POC type 1 only)
 * @param offsetForTopToBottomField offset_for_top_to_bottom_field (POC type 1 only)
 * @param offsetsForRefFrame    offset_for_ref_frame[] (POC type 1 only)
 * @param maxNumRefFrames       max_num_ref_frames
 * @param widthInMbs            pic_width_in_mbs_minus1 + 1
 * @param heightInMapUnits      pic_height_in_map_units_minus1 + 1
 * @param frameMbsOnly          frame_mbs_only_flag (false: the stream may carry fields)
 * @param width                 the displayed width in pixels, after cropping
 * @param height                the displayed height in pixels, after cropping
 * @param vui                   the VUI fields CamRelay uses; {@link Vui#ABSENT} when the SPS has none
 */
public record H264Sps(int profileIdc, int constraintFlags, int levelIdc, int spsId, int chromaFormatIdc,
        boolean separateColourPlane, int bitDepthLuma, int bitDepthChroma, int log2MaxFrameNum, int picOrderCntType,
        int log2MaxPicOrderCntLsb, boolean deltaPicOrderAlwaysZero, int offsetForNonRefPic,
        int offsetForTopToBottomField, List<Integer> offsetsForRefFrame, int maxNumRefFrames, int widthInMbs,
        int heightInMapUnits, boolean frameMbsOnly, int width, int height, Vui vui) {

    /** profile_idc of Baseline (Annex A.2.1); Constrained Baseline is 66 with constraint_set1_flag. */
    public static final int PROFILE_BASELINE = 66;
    /** profile_idc of High (Annex A.2.4). */
    public static final int PROFILE_HIGH = 100;
    /** Profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices (§7.3.2.1.1). */
    private static final List<Integer> HIGH_PROFILES = List.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139,
            134, 135);
    /** Largest picture dimension accepted, in macroblocks (32768 px; level 6.2 allows about 1055). */
    static final int MAX_DIMENSION_MBS = 2048;
    /** max_num_ref_frames and max_num_reorder_frames are bounded by MaxDpbFrames ≤ 16 (§A.3.1). */
    private static final int MAX_DPB_FRAMES = 16;
    /** An SPS is small; anything past this many bytes is not read. */
    private static final int MAX_SPS_BYTES = 1024;

    /**
     * VUI fields (Annex E.1.1).
     *
     * @param present               vui_parameters_present_flag
     * @param numUnitsInTick        num_units_in_tick, 0 when timing info is absent
     * @param timeScale             time_scale, 0 when timing info is absent
     * @param fixedFrameRate        fixed_frame_rate_flag
     * @param maxNumReorderFrames   max_num_reorder_frames, or -1 when bitstream_restriction is absent
     */
    public record Vui(boolean present, long numUnitsInTick, long timeScale, boolean fixedFrameRate,
            int maxNumReorderFrames) {
        /** An SPS without VUI. */
        public static final Vui ABSENT = new Vui(false, 0, 0, false, -1);
    }

    public H264Sps {
        offsetsForRefFrame = List.copyOf(offsetsForRefFrame);
        Objects.requireNonNull(vui, "vui");
        if (width <= 0 || height <= 0) {
            throw new H264SyntaxException("SPS: picture size " + width + "x" + height + " is not positive");
        }
    }

    /** Frames per second from the VUI timing info ({@code time_scale / (2 * num_units_in_tick)}), or 0 if unknown. */
    public double frameRate() {
        if (vui.numUnitsInTick() == 0 || vui.timeScale() == 0) {
            return 0;
        }
        return vui.timeScale() / (2.0 * vui.numUnitsInTick());
    }

    /**
     * Whether pictures may be decoded in another order than they are shown (B-frames): {@code
     * max_num_reorder_frames > 0} when the VUI says; without it Baseline and POC type 2 cannot reorder, and
     * anything else conservatively may.
     */
    public boolean reordersFrames() {
        if (vui.maxNumReorderFrames() >= 0) {
            return vui.maxNumReorderFrames() > 0;
        }
        return profileIdc != PROFILE_BASELINE && picOrderCntType != 2;
    }

    /** ChromaArrayType (§7.4.2.1.1): 0 when the colour planes are coded separately, else chroma_format_idc. */
    int chromaArrayType() {
        return separateColourPlane ? 0 : chromaFormatIdc;
    }

    /** Parses an SPS NAL unit, header byte included, emulation-prevention bytes still in place. */
    public static H264Sps parse(byte[] nal) {
        return parse(nal, 0, nal.length);
    }

    /** Parses the SPS NAL unit in {@code data[from, to)}, header byte included. */
    public static H264Sps parse(byte[] data, int from, int to) {
        if (to - from < 4 || H264Nal.type(data[from]) != H264Nal.SPS) {
            throw new H264SyntaxException(String.format(Locale.ROOT,
                    "not an SPS NAL unit: %d bytes, type %d (expected at least 4 bytes of type %d)", to - from,
                    to > from ? H264Nal.type(data[from]) : -1, H264Nal.SPS));
        }
        return new SpsParser(new RbspReader(data, from + 1, to, MAX_SPS_BYTES, "SPS")).parse();
    }

    /** The field-by-field reading of §7.3.2.1.1, kept apart from the value type. */
    private static final class SpsParser {
        private final RbspReader r;

        SpsParser(RbspReader r) {
            this.r = r;
        }

        H264Sps parse() {
            int profileIdc = r.u(8);
            int constraintFlags = r.u(8);
            int levelIdc = r.u(8);
            int spsId = r.ue("seq_parameter_set_id", 31);
            int chromaFormatIdc = 1;
            boolean separateColourPlane = false;
            int bitDepthLuma = 8;
            int bitDepthChroma = 8;
            if (HIGH_PROFILES.contains(profileIdc)) {
                chromaFormatIdc = r.ue("chroma_format_idc", 3);
                if (chromaFormatIdc == 3) {
                    separateColourPlane = r.flag();
                }
                bitDepthLuma = 8 + r.ue("bit_depth_luma_minus8", 6);
                bitDepthChroma = 8 + r.ue("bit_depth_chroma_minus8", 6);
                r.skip(1); // qpprime_y_zero_transform_bypass_flag
                if (r.flag()) { // seq_scaling_matrix_present_flag
                    int lists = chromaFormatIdc != 3 ? 8 : 12;
                    for (int i = 0; i < lists; i++) {
                        if (r.flag()) { // seq_scaling_list_present_flag[i]
                            skipScalingList(i < 6 ? 16 : 64);
                        }
                    }
                }
            }
            int log2MaxFrameNum = 4 + r.ue("log2_max_frame_num_minus4", 12);
            int pocType = r.ue("pic_order_cnt_type", 2);
            int log2MaxPocLsb = 0;
            boolean deltaAlwaysZero = false;
            int offsetForNonRefPic = 0;
            int offsetTopToBottom = 0;
            Integer[] offsets = new Integer[0];
            if (pocType == 0) {
                log2MaxPocLsb = 4 + r.ue("log2_max_pic_order_cnt_lsb_minus4", 12);
            } else if (pocType == 1) {
                deltaAlwaysZero = r.flag();
                offsetForNonRefPic = r.se("offset_for_non_ref_pic", -(1L << 31) + 1, (1L << 31) - 1);
                offsetTopToBottom = r.se("offset_for_top_to_bottom_field", -(1L << 31) + 1, (1L << 31) - 1);
                offsets = new Integer[r.ue("num_ref_frames_in_pic_order_cnt_cycle", 255)];
                for (int i = 0; i < offsets.length; i++) {
                    offsets[i] = r.se("offset_for_ref_frame", -(1L << 31) + 1, (1L << 31) - 1);
                }
            }
            int maxNumRefFrames = r.ue("max_num_ref_frames", MAX_DPB_FRAMES);
            r.skip(1); // gaps_in_frame_num_value_allowed_flag
            int widthInMbs = 1 + r.ue("pic_width_in_mbs_minus1", MAX_DIMENSION_MBS - 1);
            int heightInMapUnits = 1 + r.ue("pic_height_in_map_units_minus1", MAX_DIMENSION_MBS - 1);
            boolean frameMbsOnly = r.flag();
            if (!frameMbsOnly) {
                r.skip(1); // mb_adaptive_frame_field_flag
            }
            r.skip(1); // direct_8x8_inference_flag
            int cropLeft = 0;
            int cropRight = 0;
            int cropTop = 0;
            int cropBottom = 0;
            if (r.flag()) { // frame_cropping_flag
                int limit = MAX_DIMENSION_MBS * 16;
                cropLeft = r.ue("frame_crop_left_offset", limit);
                cropRight = r.ue("frame_crop_right_offset", limit);
                cropTop = r.ue("frame_crop_top_offset", limit);
                cropBottom = r.ue("frame_crop_bottom_offset", limit);
            }
            Vui vui = r.flag() ? readVuiLeniently() : Vui.ABSENT;

            // Crop units (§7.4.2.1.1, equations 7-19 to 7-22) depend on the chroma sampling and on field coding.
            int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            int cropUnitX = chromaArrayType == 0 ? 1 : (chromaFormatIdc == 3 ? 1 : 2);
            int subHeightC = chromaArrayType == 0 ? 1 : (chromaFormatIdc == 1 ? 2 : 1);
            int cropUnitY = subHeightC * (frameMbsOnly ? 1 : 2);
            int width = widthInMbs * 16 - cropUnitX * (cropLeft + cropRight);
            int height = (frameMbsOnly ? 1 : 2) * heightInMapUnits * 16 - cropUnitY * (cropTop + cropBottom);
            if (width <= 0 || height <= 0) {
                throw new H264SyntaxException(String.format(Locale.ROOT,
                        "SPS: frame cropping (left %d, right %d, top %d, bottom %d) leaves no picture of %dx%d "
                                + "macroblocks", cropLeft, cropRight, cropTop, cropBottom, widthInMbs,
                        heightInMapUnits));
            }
            return new H264Sps(profileIdc, constraintFlags, levelIdc, spsId, chromaFormatIdc, separateColourPlane,
                    bitDepthLuma, bitDepthChroma, log2MaxFrameNum, pocType, log2MaxPocLsb, deltaAlwaysZero,
                    offsetForNonRefPic, offsetTopToBottom, List.of(offsets), maxNumRefFrames, widthInMbs,
                    heightInMapUnits, frameMbsOnly, width, height, vui);
        }

        /** scaling_list() (§7.3.2.1.1.1): only the delta_scale values are read, to stay in step. */
        private void skipScalingList(int size) {
            int lastScale = 8;
            int nextScale = 8;
            for (int j = 0; j < size; j++) {
                if (nextScale != 0) {
                    int deltaScale = r.se("delta_scale", -128, 127);
                    nextScale = (lastScale + deltaScale + 256) % 256;
                }
                lastScale = nextScale == 0 ? lastScale : nextScale;
            }
        }

        /**
         * Reads the VUI. Some cameras write a VUI that ends early (truncated bitstream_restriction); what was read
         * before the end is kept, the rest counts as absent, because the picture itself decodes fine.
         */
        private Vui readVuiLeniently() {
            long numUnitsInTick = 0;
            long timeScale = 0;
            boolean fixedFrameRate = false;
            int maxNumReorderFrames = -1;
            try {
                if (r.flag()) { // aspect_ratio_info_present_flag
                    int aspectRatioIdc = r.u(8);
                    if (aspectRatioIdc == 255) { // Extended_SAR (Table E-1)
                        r.skip(32); // sar_width, sar_height
                    }
                }
                if (r.flag()) { // overscan_info_present_flag
                    r.skip(1);
                }
                if (r.flag()) { // video_signal_type_present_flag
                    r.skip(4); // video_format, video_full_range_flag
                    if (r.flag()) { // colour_description_present_flag
                        r.skip(24);
                    }
                }
                if (r.flag()) { // chroma_loc_info_present_flag
                    r.ue();
                    r.ue();
                }
                if (r.flag()) { // timing_info_present_flag
                    numUnitsInTick = r.bits(32);
                    timeScale = r.bits(32);
                    fixedFrameRate = r.flag();
                }
                boolean nalHrd = r.flag();
                if (nalHrd) {
                    skipHrd();
                }
                boolean vclHrd = r.flag();
                if (vclHrd) {
                    skipHrd();
                }
                if (nalHrd || vclHrd) {
                    r.skip(1); // low_delay_hrd_flag
                }
                r.skip(1); // pic_struct_present_flag
                if (r.flag()) { // bitstream_restriction_flag
                    r.skip(1); // motion_vectors_over_pic_boundaries_flag
                    r.ue(); // max_bytes_per_pic_denom
                    r.ue(); // max_bits_per_mb_denom
                    r.ue(); // log2_max_mv_length_horizontal
                    r.ue(); // log2_max_mv_length_vertical
                    maxNumReorderFrames = r.ue("max_num_reorder_frames", MAX_DPB_FRAMES);
                    r.ue(); // max_dec_frame_buffering
                }
            } catch (H264SyntaxException truncatedVui) {
                // keep what was read; see the method comment
            }
            return new Vui(true, numUnitsInTick, timeScale, fixedFrameRate, maxNumReorderFrames);
        }

        /** hrd_parameters() (Annex E.1.2). */
        private void skipHrd() {
            int cpbCount = 1 + r.ue("cpb_cnt_minus1", 31);
            r.skip(8); // bit_rate_scale, cpb_size_scale
            for (int i = 0; i < cpbCount; i++) {
                r.ue(); // bit_rate_value_minus1
                r.ue(); // cpb_size_value_minus1
                r.skip(1); // cbr_flag
            }
            r.skip(20); // four 5-bit delay and offset lengths
        }
    }
}
