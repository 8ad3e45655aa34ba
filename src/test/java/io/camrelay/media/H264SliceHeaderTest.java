package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class H264SliceHeaderTest {

    /** Main profile, POC type 0, log2_max_frame_num 4, log2_max_poc_lsb 6, no VUI. */
    static final byte[] SPS = H264SpsTest.mainProfileWithoutVui(40, 30);
    static final byte[] PPS = new BitWriter().ue(0).ue(0).flag(true).flag(false).nal(0x68);

    static H264SliceHeader parse(byte[] nal) {
        Map<Integer, H264Sps> sps = Map.of(0, H264Sps.parse(SPS));
        Map<Integer, H264Pps> pps = Map.of(0, H264Pps.parse(PPS));
        return H264SliceHeader.parse(nal, 0, nal.length, pps::get, sps::get);
    }

    /** A slice of a frame with POC type 0 fields for {@link #SPS}. */
    static byte[] slice(boolean idr, int refIdc, int sliceType, int frameNum, int pocLsb) {
        BitWriter w = new BitWriter().ue(0).ue(sliceType).ue(0).u(4, frameNum);
        if (idr) {
            w.ue(3); // idr_pic_id
        }
        w.u(6, pocLsb).u(16, 0xABCD); // then some slice data
        return w.nal((refIdc << 5) | (idr ? 5 : 1));
    }

    @Test
    void readsTheFieldsUpToThePicOrderCountLsb() {
        H264SliceHeader h = parse(slice(true, 3, 7, 0, 0));
        assertThat(h.idr()).isTrue();
        assertThat(h.nalRefIdc()).isEqualTo(3);
        assertThat(h.sliceType()).isEqualTo(7);
        H264SliceHeader b = parse(slice(false, 0, 1, 5, 42));
        assertThat(b.idr()).isFalse();
        assertThat(b.nalRefIdc()).isZero();
        assertThat(b.frameNum()).isEqualTo(5);
        assertThat(b.picOrderCntLsb()).isEqualTo(42);
    }

    @Test
    void readsTheBottomFieldDeltaWhenThePpsSaysSo() {
        byte[] pps = new BitWriter().ue(0).ue(0).flag(false).flag(true).nal(0x68);
        byte[] nal = new BitWriter().ue(0).ue(0).ue(0).u(4, 1).u(6, 8).se(-1).nal(0x41);
        Map<Integer, H264Sps> sps = Map.of(0, H264Sps.parse(SPS));
        H264SliceHeader h = H264SliceHeader.parse(nal, 0, nal.length, Map.of(0, H264Pps.parse(pps))::get, sps::get);
        assertThat(h.picOrderCntLsb()).isEqualTo(8);
        assertThat(h.deltaPicOrderCntBottom()).isEqualTo(-1);
    }

    @Test
    void refusesASliceReferringToAnUnknownPps() {
        byte[] nal = new BitWriter().ue(0).ue(0).ue(7).u(4, 1).u(6, 8).nal(0x41);
        assertThatThrownBy(() -> parse(nal)).isInstanceOf(H264SyntaxException.class)
                .hasMessage("slice header refers to PPS 7, which was not received");
    }

    @Test
    void refusesATruncatedSlice() {
        byte[] nal = java.util.Arrays.copyOf(slice(false, 2, 0, 3, 10), 2);
        assertThatThrownBy(() -> parse(nal)).isInstanceOf(H264SyntaxException.class);
    }

    @Test
    void pocType0FollowsTheLsbAcrossItsWrap() {
        H264Sps sps = H264Sps.parse(SPS); // MaxPicOrderCntLsb 64
        H264PocDecoder poc = new H264PocDecoder();
        assertThat(poc.next(parse(slice(true, 3, 2, 0, 0)), sps)).isZero();
        long last = 0;
        for (int i = 1; i <= 40; i++) {
            long value = poc.next(parse(slice(false, 2, 0, i % 16, (2 * i) % 64)), sps);
            assertThat(value).isEqualTo(2L * i);
            last = value;
        }
        assertThat(last).isEqualTo(80);
    }

    @Test
    void pocType2CountsFrameNumsAcrossTheirWrap() {
        byte[] spsNal = new BitWriter().u(8, 66).u(8, 0).u(8, 30).ue(0).ue(0).ue(2).ue(1).flag(false).ue(19).ue(14)
                .flag(true).flag(true).flag(false).flag(false).nal(0x67);
        H264Sps sps = H264Sps.parse(spsNal);
        Map<Integer, H264Pps> pps = Map.of(0, H264Pps.parse(PPS));
        H264PocDecoder poc = new H264PocDecoder();
        for (int i = 0; i < 40; i++) {
            BitWriter w = new BitWriter().ue(0).ue(i == 0 ? 2 : 0).ue(0).u(4, i % 16);
            if (i == 0) {
                w.ue(0);
            }
            byte[] nal = w.nal(i == 0 ? 0x65 : 0x41);
            H264SliceHeader h = H264SliceHeader.parse(nal, 0, nal.length, pps::get, Map.of(0, sps)::get);
            assertThat(poc.next(h, sps)).isEqualTo(2L * i);
        }
    }

    @Test
    void pocType1AddsTheExpectedDeltasOfTheCycle() {
        // one ref frame per cycle advancing POC by 4; non-reference pictures sit 2 before the next reference
        byte[] spsNal = new BitWriter().u(8, 77).u(8, 0).u(8, 30).ue(0).ue(0).ue(1).flag(true).se(-2).se(0).ue(1)
                .se(4).ue(2).flag(false).ue(19).ue(14).flag(true).flag(true).flag(false).flag(false).nal(0x67);
        H264Sps sps = H264Sps.parse(spsNal);
        Map<Integer, H264Pps> pps = Map.of(0, H264Pps.parse(PPS));
        H264PocDecoder poc = new H264PocDecoder();
        int[][] pictures = {{5, 3, 0}, {1, 2, 1}, {1, 0, 2}, {1, 2, 2}}; // nal type, ref idc, frame_num
        List<Long> pocs = new java.util.ArrayList<>();
        for (int[] p : pictures) {
            BitWriter w = new BitWriter().ue(0).ue(0).ue(0).u(4, p[2]);
            if (p[0] == 5) {
                w.ue(0);
            }
            byte[] nal = w.nal((p[1] << 5) | p[0]);
            pocs.add(poc.next(H264SliceHeader.parse(nal, 0, nal.length, pps::get, Map.of(0, sps)::get), sps));
        }
        // IDR 0; ref frame_num 1 -> 4; non-ref frame_num 2 -> abs 1 -> 4 - 2 = 2; ref frame_num 2 -> 8
        assertThat(pocs).containsExactly(0L, 4L, 2L, 8L);
    }
}
