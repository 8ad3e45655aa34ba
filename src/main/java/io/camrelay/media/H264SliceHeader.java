package io.camrelay.media;

import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The first fields of an H.264 slice header (ITU-T H.264 §7.3.3), up to the picture order count fields: enough to
 * compute the picture order count (§8.2.1) and so the composition time of B-frame streams.
 *
 * @param nalUnitType            1 (non-IDR) or 5 (IDR)
 * @param nalRefIdc              nal_ref_idc; 0 means no picture refers to this one (disposable)
 * @param firstMbInSlice         first_mb_in_slice
 * @param sliceType              slice_type, 0..9
 * @param ppsId                  pic_parameter_set_id
 * @param frameNum               frame_num
 * @param fieldPic               field_pic_flag
 * @param bottomField            bottom_field_flag
 * @param picOrderCntLsb         pic_order_cnt_lsb (POC type 0)
 * @param deltaPicOrderCntBottom delta_pic_order_cnt_bottom (POC type 0)
 * @param deltaPicOrderCnt0      delta_pic_order_cnt[0] (POC type 1)
 * @param deltaPicOrderCnt1      delta_pic_order_cnt[1] (POC type 1)
 */
record H264SliceHeader(int nalUnitType, int nalRefIdc, int firstMbInSlice, int sliceType, int ppsId,
        int frameNum, boolean fieldPic, boolean bottomField, int picOrderCntLsb, int deltaPicOrderCntBottom,
        int deltaPicOrderCnt0, int deltaPicOrderCnt1) {

    /** The fields read end well within the first bytes of the slice. */
    private static final int MAX_READ_BYTES = 64;
    /** slice_type range (Table 7-6). */
    private static final int MAX_SLICE_TYPE = 9;
    /** idr_pic_id range (§7.4.3). */
    private static final int MAX_IDR_PIC_ID = 65535;
    private static final long MAX_SE = (1L << 31) - 1;

    /** Whether the slice belongs to an IDR picture. */
    public boolean idr() {
        return nalUnitType == H264Nal.IDR;
    }

    /**
     * Parses the slice NAL unit in {@code data[from, to)} (header byte included).
     *
     * @param ppsById the picture parameter sets received so far
     * @param spsById the sequence parameter sets received so far
     * @throws H264SyntaxException when the header is truncated or malformed, or refers to an unknown PPS/SPS
     */
    public static H264SliceHeader parse(byte[] data, int from, int to, IntFunction<H264Pps> ppsById,
            IntFunction<H264Sps> spsById) {
        int type = to > from ? H264Nal.type(data[from]) : -1;
        if (!H264Nal.isSlice(type)) {
            throw new H264SyntaxException(String.format(Locale.ROOT,
                    "not a slice NAL unit: %d bytes, type %d (expected type 1, 2 or 5)", to - from, type));
        }
        int refIdc = H264Nal.refIdc(data[from]);
        RbspReader r = new RbspReader(data, from + 1, to, MAX_READ_BYTES, "slice header");
        int firstMb = r.ue("first_mb_in_slice", (long) H264Sps.MAX_DIMENSION_MBS * H264Sps.MAX_DIMENSION_MBS);
        int sliceType = r.ue("slice_type", MAX_SLICE_TYPE);
        int ppsId = r.ue("pic_parameter_set_id", 255);
        H264Pps pps = ppsById.apply(ppsId);
        if (pps == null) {
            throw new H264SyntaxException("slice header refers to PPS " + ppsId + ", which was not received");
        }
        H264Sps sps = spsById.apply(pps.spsId());
        if (sps == null) {
            throw new H264SyntaxException("PPS " + ppsId + " refers to SPS " + pps.spsId()
                    + ", which was not received");
        }
        if (sps.separateColourPlane()) {
            r.skip(2); // colour_plane_id
        }
        int frameNum = r.u(sps.log2MaxFrameNum());
        boolean fieldPic = false;
        boolean bottomField = false;
        if (!sps.frameMbsOnly()) {
            fieldPic = r.flag();
            if (fieldPic) {
                bottomField = r.flag();
            }
        }
        if (type == H264Nal.IDR) {
            r.ue("idr_pic_id", MAX_IDR_PIC_ID);
        }
        int pocLsb = 0;
        int deltaBottom = 0;
        int delta0 = 0;
        int delta1 = 0;
        if (sps.picOrderCntType() == 0) {
            pocLsb = r.u(sps.log2MaxPicOrderCntLsb());
            if (pps.bottomFieldPicOrderInFramePresent() && !fieldPic) {
                deltaBottom = r.se("delta_pic_order_cnt_bottom", -MAX_SE, MAX_SE);
            }
        } else if (sps.picOrderCntType() == 1 && !sps.deltaPicOrderAlwaysZero()) {
            delta0 = r.se("delta_pic_order_cnt[0]", -MAX_SE, MAX_SE);
            if (pps.bottomFieldPicOrderInFramePresent() && !fieldPic) {
                delta1 = r.se("delta_pic_order_cnt[1]", -MAX_SE, MAX_SE);
            }
        }
        return new H264SliceHeader(type, refIdc, firstMb, sliceType, ppsId, frameNum, fieldPic, bottomField, pocLsb,
                deltaBottom, delta0, delta1);
    }
}
