package io.camrelay.media;

import java.util.Locale;

/**
 * The start of an H.264 picture parameter set (ITU-T H.264 §7.3.2.2): the fields a slice header reader needs.
 *
 * @param ppsId                               pic_parameter_set_id, 0..255
 * @param spsId                               seq_parameter_set_id it refers to, 0..31
 * @param entropyCodingModeFlag               CABAC instead of CAVLC
 * @param bottomFieldPicOrderInFramePresent   bottom_field_pic_order_in_frame_present_flag: slice headers carry
 *                                            delta_pic_order_cnt_bottom / delta_pic_order_cnt[1]
 */
record H264Pps(int ppsId, int spsId, boolean entropyCodingModeFlag,
        boolean bottomFieldPicOrderInFramePresent) {

    /** Only the first fields are read. */
    private static final int MAX_READ_BYTES = 16;

    /** Parses the PPS NAL unit in {@code data[from, to)}, header byte included. */
    public static H264Pps parse(byte[] data, int from, int to) {
        if (to - from < 2 || H264Nal.type(data[from]) != H264Nal.PPS) {
            throw new H264SyntaxException(String.format(Locale.ROOT,
                    "not a PPS NAL unit: %d bytes, type %d (expected at least 2 bytes of type %d)", to - from,
                    to > from ? H264Nal.type(data[from]) : -1, H264Nal.PPS));
        }
        RbspReader r = new RbspReader(data, from + 1, to, MAX_READ_BYTES, "PPS");
        int ppsId = r.ue("pic_parameter_set_id", 255);
        int spsId = r.ue("seq_parameter_set_id", 31);
        boolean cabac = r.flag();
        boolean bottomField = r.flag();
        return new H264Pps(ppsId, spsId, cabac, bottomField);
    }

    /** Parses a whole PPS NAL unit. */
    public static H264Pps parse(byte[] nal) {
        return parse(nal, 0, nal.length);
    }
}
