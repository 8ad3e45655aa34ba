package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AvcConfigRecordTest {

    private static final String PPS_HIGH = "68ebe3cb22c0";

    @Test
    void buildsTheHighProfileRecordByteForByteAsFfmpegDoes() {
        // ffmpeg -i hi-1920x1080.h264 -c copy out.flv: the sequence header's record (after 17 00 00 00 00)
        String expected = "01640028ffe1001b" + H264SpsTest.SPS_1080P + "010006" + PPS_HIGH + "fdf8f800";
        byte[] record = AvcConfigRecord.encode(BitWriter.hex(H264SpsTest.SPS_1080P),
                List.of(BitWriter.hex(PPS_HIGH)));
        assertThat(BitWriter.hex(record)).isEqualTo(expected);
    }

    @Test
    void buildsTheBaselineRecordWithoutExtension() {
        String expected = "0142c01effe10019" + H264SpsTest.SPS_BASELINE_360P + "01000568cb83cb20";
        byte[] record = AvcConfigRecord.encode(BitWriter.hex(H264SpsTest.SPS_BASELINE_360P),
                List.of(BitWriter.hex("68cb83cb20")));
        assertThat(BitWriter.hex(record)).isEqualTo(expected);
    }

    @Test
    void writesChromaFormatAndBitDepthsInTheExtension() {
        // High 4:2:2 10-bit (profile 122): extension 111111|10, 11111|010, 11111|010, 0
        byte[] sps = new BitWriter().u(8, 122).u(8, 0).u(8, 40).ue(0).ue(2).ue(2).ue(2).flag(false).flag(false)
                .ue(0).ue(2).ue(1).flag(false).ue(19).ue(14).flag(true).flag(true).flag(false).flag(false)
                .nal(0x67);
        byte[] record = AvcConfigRecord.encode(sps, List.of(BitWriter.hex(PPS_HIGH)));
        assertThat(BitWriter.hex(java.util.Arrays.copyOfRange(record, record.length - 4, record.length)))
                .isEqualTo("fefafa00");
    }

    @Test
    void listsEveryPps() {
        byte[] record = AvcConfigRecord.encode(BitWriter.hex(H264SpsTest.SPS_BASELINE_360P),
                List.of(BitWriter.hex("68cb83cb20"), BitWriter.hex("68ce3880")));
        int ppsCountAt = 6 + 2 + 25;
        assertThat(record[ppsCountAt]).isEqualTo((byte) 2);
        assertThat(record).hasSize(ppsCountAt + 1 + 2 + 5 + 2 + 4);
    }

    @Test
    void refusesARecordWithoutPps() {
        assertThatThrownBy(() -> AvcConfigRecord.encode(BitWriter.hex(H264SpsTest.SPS_1080P), List.of()))
                .isInstanceOf(H264SyntaxException.class).hasMessageContaining("needs 1..255 PPS, got 0");
    }
}
