package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Mp4VideoConfigTest {

    private static final byte[] PPS = BitWriter.hex("68ebecb22c");

    /** An FLV AVC sequence header body: the 5-byte video tag header, then the record. */
    private static byte[] sequenceHeader(String spsHex) {
        byte[] record = AvcConfigRecord.encode(BitWriter.hex(spsHex), List.of(PPS));
        byte[] body = new byte[AvcTagger.VIDEO_TAG_HEADER_LENGTH + record.length];
        body[0] = 0x17;
        System.arraycopy(record, 0, body, AvcTagger.VIDEO_TAG_HEADER_LENGTH, record.length);
        return body;
    }

    private static Mp4VideoConfig parse(byte[] body) {
        return Mp4VideoConfig.parse(body, AvcTagger.VIDEO_TAG_HEADER_LENGTH, 40);
    }

    @Test
    void takesThePictureSizeFromTheFirstSpsAndKeepsTheRecordUntouched() {
        byte[] body = sequenceHeader(H264SpsTest.SPS_1080P);
        Mp4VideoConfig config = parse(body);

        assertThat(config.width()).isEqualTo(1920);
        assertThat(config.height()).isEqualTo(1080);
        assertThat(config.record()).isEqualTo(Arrays.copyOfRange(body, AvcTagger.VIDEO_TAG_HEADER_LENGTH,
                body.length));
    }

    @Test
    void codecStringOfAHighProfileSpsIsItsProfileConstraintsAndLevelInHex() {
        assertThat(parse(sequenceHeader(H264SpsTest.SPS_1080P)).codecString()).isEqualTo("avc1.640028");
    }

    @Test
    void codecStringOfAConstrainedBaselineSpsCarriesItsConstraintFlags() {
        assertThat(parse(sequenceHeader(H264SpsTest.SPS_BASELINE_360P)).codecString()).isEqualTo("avc1.42C01E");
    }

    @Test
    void equalRecordsAreOneConfiguration() {
        assertThat(parse(sequenceHeader(H264SpsTest.SPS_360P))).isEqualTo(parse(sequenceHeader(H264SpsTest.SPS_360P)))
                .isNotEqualTo(parse(sequenceHeader(H264SpsTest.SPS_720P)));
    }

    @Test
    void rejectsARecordOfAnotherVersion() {
        byte[] body = sequenceHeader(H264SpsTest.SPS_360P);
        body[AvcTagger.VIDEO_TAG_HEADER_LENGTH] = 2;

        assertThatThrownBy(() -> parse(body)).isInstanceOf(Mp4FormatException.class).hasMessage(
                "AVC sequence header at 40 ms: " + (body.length - 5) + " bytes, configurationVersion 2 (expected at "
                        + "least 7 bytes of version 1, ISO/IEC 14496-15 §5.3.3.1)");
    }

    @Test
    void rejectsARecordCutInsideItsSps() {
        byte[] body = Arrays.copyOf(sequenceHeader(H264SpsTest.SPS_360P), 20);

        assertThatThrownBy(() -> parse(body)).isInstanceOf(Mp4FormatException.class)
                .hasMessageContaining("ends inside its SPS");
    }

    @Test
    void rejectsARecordWithoutPps() {
        byte[] sps = BitWriter.hex(H264SpsTest.SPS_360P);
        byte[] body = new byte[5 + 6 + 2 + sps.length + 1];
        body[5] = 1;
        body[10] = (byte) 0xE1; // one SPS
        body[12] = (byte) sps.length;
        System.arraycopy(sps, 0, body, 13, sps.length); // numOfPictureParameterSets stays 0

        assertThatThrownBy(() -> parse(body)).isInstanceOf(Mp4FormatException.class)
                .hasMessage("AVC sequence header at 40 ms has 1 SPS and 0 PPS (expected at least one of each)");
    }

    @Test
    void printsTheRecordsLengthNotItsBytes() {
        assertThat(parse(sequenceHeader(H264SpsTest.SPS_360P)).toString())
                .matches("Mp4VideoConfig\\[avc1\\.64001E 640x360, \\d+ bytes]");
    }
}
