package io.camrelay.media;

/**
 * Computes the picture order count (display order) of each picture in decode order, ITU-T H.264 §8.2.1, for all
 * three pic_order_cnt_type values. Stateful: feed every picture of one stream, in decode order. Memory management
 * operation 5 is not tracked (cameras do not use it); the next IDR resets the state anyway.
 */
final class H264PocDecoder {

    private long prevPocMsb;
    private long prevPocLsb;
    private long prevFrameNumOffset;
    private int prevFrameNum;

    /** The POC of the picture whose first slice header is {@code slice}; for a frame the smaller field POC. */
    long next(H264SliceHeader slice, H264Sps sps) {
        return switch (sps.picOrderCntType()) {
            case 0 -> type0(slice, sps);
            case 1 -> type1(slice, sps);
            default -> type2(slice, sps);
        };
    }

    /** §8.2.1.1: POC from pic_order_cnt_lsb, with the MSB tracked across wraps. */
    private long type0(H264SliceHeader slice, H264Sps sps) {
        if (slice.idr()) {
            prevPocMsb = 0;
            prevPocLsb = 0;
        }
        long maxLsb = 1L << sps.log2MaxPicOrderCntLsb();
        long lsb = slice.picOrderCntLsb();
        long msb;
        if (lsb < prevPocLsb && prevPocLsb - lsb >= maxLsb / 2) {
            msb = prevPocMsb + maxLsb;
        } else if (lsb > prevPocLsb && lsb - prevPocLsb > maxLsb / 2) {
            msb = prevPocMsb - maxLsb;
        } else {
            msb = prevPocMsb;
        }
        if (slice.nalRefIdc() != 0) {
            prevPocMsb = msb;
            prevPocLsb = lsb;
        }
        long top = msb + lsb;
        if (slice.fieldPic()) {
            return top;
        }
        return Math.min(top, top + slice.deltaPicOrderCntBottom());
    }

    /** §8.2.1.2: POC from frame_num and the cycle of expected deltas in the SPS. */
    private long type1(H264SliceHeader slice, H264Sps sps) {
        long frameNumOffset = frameNumOffset(slice, sps);
        int cycleLength = sps.offsetsForRefFrame().size();
        long absFrameNum = cycleLength != 0 ? frameNumOffset + slice.frameNum() : 0;
        if (slice.nalRefIdc() == 0 && absFrameNum > 0) {
            absFrameNum--;
        }
        long expected = 0;
        if (absFrameNum > 0) {
            long deltaPerCycle = 0;
            for (int offset : sps.offsetsForRefFrame()) {
                deltaPerCycle += offset;
            }
            long cycleCount = (absFrameNum - 1) / cycleLength;
            long inCycle = (absFrameNum - 1) % cycleLength;
            expected = cycleCount * deltaPerCycle;
            for (int i = 0; i <= inCycle; i++) {
                expected += sps.offsetsForRefFrame().get(i);
            }
        }
        if (slice.nalRefIdc() == 0) {
            expected += sps.offsetForNonRefPic();
        }
        long top = expected + slice.deltaPicOrderCnt0();
        long bottom = top + sps.offsetForTopToBottomField() + (slice.fieldPic() ? 0 : slice.deltaPicOrderCnt1());
        if (slice.fieldPic()) {
            return slice.bottomField() ? bottom : top;
        }
        return Math.min(top, bottom);
    }

    /** §8.2.1.3: POC derived from frame_num alone; output order equals decode order. */
    private long type2(H264SliceHeader slice, H264Sps sps) {
        long frameNumOffset = frameNumOffset(slice, sps);
        if (slice.idr()) {
            return 0;
        }
        long temp = 2 * (frameNumOffset + slice.frameNum());
        return slice.nalRefIdc() == 0 ? temp - 1 : temp;
    }

    /** FrameNumOffset (equations 8-6 and 8-11): grows by MaxFrameNum each time frame_num wraps. */
    private long frameNumOffset(H264SliceHeader slice, H264Sps sps) {
        long offset;
        if (slice.idr()) {
            offset = 0;
        } else if (prevFrameNum > slice.frameNum()) {
            offset = prevFrameNumOffset + (1L << sps.log2MaxFrameNum());
        } else {
            offset = prevFrameNumOffset;
        }
        prevFrameNumOffset = offset;
        prevFrameNum = slice.frameNum();
        return offset;
    }
}
