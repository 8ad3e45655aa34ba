package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlvMetadataTest {

    private static String number(double v) {
        return "00" + String.format("%016x", Double.doubleToLongBits(v));
    }

    private static String key(String name) {
        return String.format("%04x", name.length()) + BitWriter.hex(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void onMetaDataIsTheStringAndAnEcmaArrayOfFourteenKeys() {
        FlvMetadata metadata = new FlvMetadata(AvcTagger.FLV_CODEC_ID, 1920, 1080, 25.0, 4000, SilentAac.DEFAULT);
        String expected = "02000a" + BitWriter.hex("onMetaData".getBytes()) + "08" + "0000000e"
                + key("duration") + number(0) + key("width") + number(1920) + key("height") + number(1080)
                + key("videodatarate") + number(4000) + key("framerate") + number(25) + key("videocodecid")
                + number(7) + key("audiodatarate") + number(128) + key("audiosamplerate") + number(48000)
                + key("audiosamplesize") + number(16) + key("stereo") + "0101" + key("audiocodecid") + number(10)
                + key("audiochannels") + number(2) + key("encoder") + "020008" + BitWriter.hex("CamRelay".getBytes())
                + key("filesize") + number(0) + "000009";
        assertThat(BitWriter.hex(metadata.onMetaData())).isEqualTo(expected);
    }

    @Test
    void setDataFramePrependsTheRtmpCommandName() {
        FlvMetadata metadata = new FlvMetadata(AvcTagger.FLV_CODEC_ID, 640, 360, 0, 0, new SilentAac(44_100, 1));
        String onMetaData = BitWriter.hex(metadata.onMetaData());
        assertThat(BitWriter.hex(metadata.setDataFrame())).isEqualTo("02000d"
                + BitWriter.hex("@setDataFrame".getBytes()) + onMetaData);
        assertThat(onMetaData).contains(key("stereo") + "0100");
    }

    @Test
    void takesCodecSizeAndRateFromTheVideoFormat() {
        H264Sps sps = H264Sps.parse(BitWriter.hex(H264SpsTest.SPS_718X402));
        FlvMetadata metadata = FlvMetadata.of(new VideoFormat(VideoCodec.H264, AvcTagger.FLV_CODEC_ID, sps.width(),
                sps.height(), sps.frameRate(), "Main profile (77), level 3.0", false), SilentAac.DEFAULT);
        assertThat(metadata.videoCodecId()).isEqualTo(7);
        assertThat(metadata.width()).isEqualTo(718);
        assertThat(metadata.height()).isEqualTo(402);
        assertThat(metadata.frameRate()).isEqualTo(25.0);
        assertThat(metadata.tag(40).type()).isEqualTo(FlvTagType.SCRIPT);
    }
}
