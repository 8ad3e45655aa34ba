package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class H264SpsTest {

    /** x264 (ffmpeg 5.1, libx264 -profile:v high -bf 2), testsrc2 at 25 fps, per resolution. */
    static final String SPS_1080P = "67640028acd940780227e5c044000003000400000300c83c60c658";
    static final String SPS_720P = "6764001facd9405005bb011000000300100000030320f1831960";
    static final String SPS_360P = "6764001eacd940a02ff97011000003000100000300320f162d96";
    static final String SPS_718X402 = "6764001eacd940b435ea23011000000300100000030320f162d960";
    /** x264 -profile:v baseline 640x360. */
    static final String SPS_BASELINE_360P = "6742c01ed900a02ff97011000003000100000300320f162e48";
    /** x264 -profile:v high444 -pix_fmt yuv444p 640x360 at 30 fps. */
    static final String SPS_HIGH444_360P = "67f4001e919b281405ff138088000003000800000301e078b16cb0";

    private static H264Sps parse(String hex) {
        return H264Sps.parse(BitWriter.hex(hex));
    }

    @Test
    void decodesX264HighProfile1080pWithCroppingAndVui() {
        H264Sps sps = parse(SPS_1080P);
        assertThat(sps.profileIdc()).isEqualTo(100);
        assertThat(sps.levelIdc()).isEqualTo(40);
        assertThat(sps.chromaFormatIdc()).isEqualTo(1);
        assertThat(sps.bitDepthLuma()).isEqualTo(8);
        assertThat(sps.widthInMbs()).isEqualTo(120);
        assertThat(sps.heightInMapUnits()).isEqualTo(68); // 1088 coded, 8 lines cropped
        assertThat(sps.width()).isEqualTo(1920);
        assertThat(sps.height()).isEqualTo(1080);
        assertThat(sps.picOrderCntType()).isZero();
        assertThat(sps.frameRate()).isEqualTo(25.0);
        assertThat(sps.vui().maxNumReorderFrames()).isEqualTo(2);
        assertThat(sps.reordersFrames()).isTrue();
    }

    @Test
    void decodesX26416by9Resolutions() {
        assertThat(parse(SPS_720P)).extracting(H264Sps::width, H264Sps::height).containsExactly(1280, 720);
        assertThat(parse(SPS_360P)).extracting(H264Sps::width, H264Sps::height).containsExactly(640, 360);
    }

    @Test
    void decodesAnOddSizeCroppedOnTheRightAndBottom() {
        H264Sps sps = parse(SPS_718X402);
        assertThat(sps.widthInMbs() * 16).isEqualTo(720);
        assertThat(sps.width()).isEqualTo(718);
        assertThat(sps.height()).isEqualTo(402);
    }

    @Test
    void baselineWithPocType2DoesNotReorder() {
        H264Sps sps = parse(SPS_BASELINE_360P);
        assertThat(sps.profileIdc()).isEqualTo(H264Sps.PROFILE_BASELINE);
        assertThat(sps.constraintFlags()).isEqualTo(0xC0);
        assertThat(sps.picOrderCntType()).isEqualTo(2);
        assertThat(sps.reordersFrames()).isFalse();
        assertThat(sps.width()).isEqualTo(640);
        assertThat(sps.height()).isEqualTo(360);
    }

    @Test
    void cropsInLumaSamplesFor444() {
        H264Sps sps = parse(SPS_HIGH444_360P);
        assertThat(sps.profileIdc()).isEqualTo(244);
        assertThat(sps.chromaFormatIdc()).isEqualTo(3);
        assertThat(sps.width()).isEqualTo(640);
        assertThat(sps.height()).isEqualTo(360);
        assertThat(sps.frameRate()).isEqualTo(30.0);
    }

    /** Main profile, POC type 0, no VUI: the common camera SPS with nothing to say about reordering. */
    static byte[] mainProfileWithoutVui(int widthMbs, int heightMbs) {
        return new BitWriter().u(8, 77).u(8, 0x40).u(8, 31).ue(0) // profile, constraints, level, sps id
                .ue(0).ue(0).ue(2) // log2_max_frame_num-4, poc type 0, log2_max_poc_lsb-4
                .ue(1).flag(false).ue(widthMbs - 1).ue(heightMbs - 1).flag(true).flag(true) // refs .. direct8x8
                .flag(false).flag(false) // no cropping, no VUI
                .nal(0x67);
    }

    @Test
    void anSpsWithoutVuiHasNoFrameRateAndConservativelyReorders() {
        H264Sps sps = H264Sps.parse(mainProfileWithoutVui(40, 30));
        assertThat(sps.vui()).isEqualTo(H264Sps.Vui.ABSENT);
        assertThat(sps.frameRate()).isZero();
        assertThat(sps.reordersFrames()).isTrue();
        assertThat(sps.width()).isEqualTo(640);
        assertThat(sps.height()).isEqualTo(480);
    }

    @Test
    void baselineWithoutVuiDoesNotReorder() {
        byte[] nal = new BitWriter().u(8, 66).u(8, 0).u(8, 30).ue(0).ue(0).ue(0).ue(0).ue(1).flag(false).ue(19)
                .ue(14).flag(true).flag(true).flag(false).flag(false).nal(0x67);
        H264Sps sps = H264Sps.parse(nal);
        assertThat(sps.picOrderCntType()).isZero();
        assertThat(sps.reordersFrames()).isFalse();
    }

    @Test
    void skipsScalingListsAndCropsInterlacedFieldsInUnitsOfFourLines() {
        BitWriter w = new BitWriter().u(8, 100).u(8, 0).u(8, 40).ue(1) // High, sps id 1
                .ue(1).ue(0).ue(0).flag(false) // 4:2:0, 8-bit, no bypass
                .flag(true); // seq_scaling_matrix_present_flag
        for (int i = 0; i < 8; i++) {
            w.flag(i % 2 == 0); // lists 0, 2, 4, 6 present
            if (i % 2 == 0) {
                // two deltas, then a delta of -10 makes nextScale 0: the rest of the list is implied
                w.se(5).se(-3).se(-10);
            }
        }
        w.ue(4).ue(0).ue(4) // log2_max_frame_num 8, POC type 0, log2_max_poc_lsb 8
                .ue(4).flag(false).ue(119).ue(33) // 120 MBs wide, 34 map units = 68 MB rows as fields
                .flag(false).flag(true).flag(true) // frame_mbs_only 0, mb_adaptive, direct_8x8
                .flag(true).ue(0).ue(0).ue(0).ue(2) // crop bottom 2 units of 4 lines: 1088 -> 1080
                .flag(false);
        H264Sps sps = H264Sps.parse(w.nal(0x67));
        assertThat(sps.spsId()).isEqualTo(1);
        assertThat(sps.frameMbsOnly()).isFalse();
        assertThat(sps.log2MaxFrameNum()).isEqualTo(8);
        assertThat(sps.maxNumRefFrames()).isEqualTo(4);
        assertThat(sps.width()).isEqualTo(1920);
        assertThat(sps.height()).isEqualTo(1080);
    }

    @Test
    void readsPocType1Offsets() {
        byte[] nal = new BitWriter().u(8, 77).u(8, 0).u(8, 30).ue(0).ue(0).ue(1) // POC type 1
                .flag(false).se(-2).se(1).ue(2).se(4).se(-6) // offsets
                .ue(2).flag(false).ue(19).ue(14).flag(true).flag(true).flag(false).flag(false).nal(0x67);
        H264Sps sps = H264Sps.parse(nal);
        assertThat(sps.picOrderCntType()).isEqualTo(1);
        assertThat(sps.offsetForNonRefPic()).isEqualTo(-2);
        assertThat(sps.offsetForTopToBottomField()).isEqualTo(1);
        assertThat(sps.offsetsForRefFrame()).containsExactly(4, -6);
        assertThat(sps.width()).isEqualTo(320);
    }

    @Test
    void keepsTimingWhenTheVuiEndsEarly() {
        // VUI with timing info (30 fps) and bitstream_restriction_flag set, but the SPS ends right after it
        BitWriter w = new BitWriter().u(8, 77).u(8, 0).u(8, 30).ue(0).ue(0).ue(0).ue(0).ue(1).flag(false).ue(19)
                .ue(14).flag(true).flag(true).flag(false).flag(true) // VUI present
                .flag(false).flag(false).flag(false).flag(false) // no aspect, overscan, signal type, chroma loc
                .flag(true).u(32, 1001).u(32, 60000).flag(true) // timing: 29.97 fps
                .flag(false).flag(false).flag(false) // no HRD, no pic_struct
                .flag(true); // bitstream_restriction_flag, then nothing
        byte[] nal = w.nal(0x67);
        H264Sps sps = H264Sps.parse(nal);
        assertThat(sps.frameRate()).isCloseTo(29.97, org.assertj.core.data.Offset.offset(0.001));
        assertThat(sps.vui().maxNumReorderFrames()).isEqualTo(-1);
    }

    @Test
    void rejectsCroppingThatLeavesNoPicture() {
        byte[] nal = new BitWriter().u(8, 66).u(8, 0).u(8, 30).ue(0).ue(0).ue(2).ue(1).flag(false).ue(0).ue(0)
                .flag(true).flag(true).flag(true).ue(4).ue(4).ue(0).ue(0).flag(false).nal(0x67);
        assertThatThrownBy(() -> H264Sps.parse(nal)).isInstanceOf(H264SyntaxException.class)
                .hasMessageContaining("leaves no picture");
    }

    @Test
    void rejectsAPictureWiderThanTheLimit() {
        byte[] nal = new BitWriter().u(8, 66).u(8, 0).u(8, 30).ue(0).ue(0).ue(2).ue(1).flag(false)
                .ue(H264Sps.MAX_DIMENSION_MBS).ue(0).flag(true).flag(true).flag(false).flag(false).nal(0x67);
        assertThatThrownBy(() -> H264Sps.parse(nal)).isInstanceOf(H264SyntaxException.class)
                .hasMessageContaining("pic_width_in_mbs_minus1");
    }

    @Test
    void rejectsANalUnitThatIsNotAnSps() {
        assertThatThrownBy(() -> H264Sps.parse(BitWriter.hex("68ebe3cb22c0"))).isInstanceOf(H264SyntaxException.class)
                .hasMessageContaining("not an SPS");
    }

    @Test
    void rejectsATruncatedSps() {
        byte[] full = BitWriter.hex(SPS_1080P);
        byte[] truncated = java.util.Arrays.copyOf(full, 8);
        assertThatThrownBy(() -> H264Sps.parse(truncated)).isInstanceOf(H264SyntaxException.class)
                .hasMessageContaining("truncated");
    }
}
