package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompositionTimeTest {

    private static final double INTERVAL = 40;

    /** CTS of pictures given as {nal type, ref idc, poc lsb} in decode order, for {@code sps}. */
    private static List<Integer> offsets(byte[] spsNal, int[][] pictures) {
        H264Sps sps = H264Sps.parse(spsNal);
        Map<Integer, H264Pps> pps = Map.of(0, H264Pps.parse(H264SliceHeaderTest.PPS));
        CompositionTime cts = new CompositionTime();
        List<Integer> out = new ArrayList<>();
        int frameNum = 0;
        for (int[] p : pictures) {
            frameNum = p[0] == 5 ? 0 : frameNum;
            BitWriter w = new BitWriter().ue(0).ue(0).ue(0).u(4, frameNum % 16);
            if (p[0] == 5) {
                w.ue(0);
            }
            byte[] nal = w.u(6, p[2] % 64).nal((p[1] << 5) | p[0]);
            out.add(cts.offsetMs(H264SliceHeader.parse(nal, 0, nal.length, pps::get, Map.of(0, sps)::get), sps,
                    INTERVAL));
            frameNum += p[1] != 0 ? 1 : 0;
        }
        return out;
    }

    /** I0 P3 B1 B2 P6 B4 B5 (POC = 2 × display position), twice. */
    private static final int[][] IPBB_TWO_GOPS = {{5, 3, 0}, {1, 2, 6}, {1, 0, 2}, {1, 0, 4}, {1, 2, 12},
        {1, 0, 8}, {1, 0, 10}, {5, 3, 0}, {1, 2, 6}, {1, 0, 2}, {1, 0, 4}};

    /** Main profile, POC type 0 (log2 lsb 6), a VUI with only bitstream_restriction. */
    private static byte[] mainSpsWithReorderFrames(int maxNumReorderFrames) {
        return new BitWriter().u(8, 77).u(8, 0).u(8, 31).ue(0).ue(0).ue(0).ue(2).ue(2).flag(false).ue(39)
                .ue(29).flag(true).flag(true).flag(false).flag(true) // VUI
                .flag(false).flag(false).flag(false).flag(false).flag(false).flag(false).flag(false).flag(false)
                .flag(true).flag(true).ue(0).ue(0).ue(16).ue(16).ue(maxNumReorderFrames).ue(2)
                .nal(0x67);
    }

    @Test
    void usesTheReorderDepthFromTheVui() {
        // display = decode + CTS: I at 40, P3 at 40+160, B1 at 80+0 ... strictly ordered by position
        assertThat(offsets(mainSpsWithReorderFrames(1), IPBB_TWO_GOPS))
                .containsExactly(40, 120, 0, 0, 120, 0, 0, 40, 120, 0, 0);
    }

    @Test
    void learnsTheReorderDepthWithoutVuiAndIsRightFromTheSecondGop() {
        List<Integer> cts = offsets(H264SpsTest.mainProfileWithoutVui(40, 30), IPBB_TWO_GOPS);
        assertThat(cts).allSatisfy(c -> assertThat(c).isGreaterThanOrEqualTo(0));
        assertThat(cts.subList(7, 11)).containsExactly(40, 120, 0, 0);
    }

    @Test
    void aStreamWhoseVuiRulesOutReorderingHasNoOffsets() {
        assertThat(offsets(mainSpsWithReorderFrames(0), IPBB_TWO_GOPS)).containsOnly(0);
    }
}
