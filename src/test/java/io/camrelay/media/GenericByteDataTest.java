package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GenericByteDataTest {

    private static final long SYNC = 1_763_700_000_000L;

    @Test
    void parsesTheBigEndianHeaderFields() {
        byte[] packet = BitWriter.hex("0010 00000024 000a 1234 0001 0000019a9e5d8c00 0000019a9e5d8c28 00000000"
                + "00000001");
        GenericByteData h = GenericByteData.parse(packet);
        assertThat(h.dataType()).isEqualTo(0x10);
        assertThat(h.totalLength()).isEqualTo(36);
        assertThat(h.codec()).isEqualTo(VideoCodec.H264);
        assertThat(h.sequence()).isEqualTo(0x1234);
        assertThat(h.keyFrame()).isTrue();
        assertThat(h.syncTimestamp()).isEqualTo(0x19a9e5d8c00L);
        assertThat(h.pictureTimestamp()).isEqualTo(0x19a9e5d8c28L);
        assertThat(h.payloadLength()).isEqualTo(4);
    }

    @Test
    void encodeAndParseRoundTrip() {
        byte[] packet = GenericByteData.encode(0x000E, 70_000, false, SYNC, SYNC + 40, new byte[] {1, 2, 3});
        GenericByteData h = GenericByteData.parse(packet);
        assertThat(h).isEqualTo(new GenericByteData(0x10, 35, 0x0E, 70_000 & 0xFFFF, 0, SYNC, SYNC + 40));
        assertThat(h.codec()).isEqualTo(VideoCodec.H265);
    }

    @Test
    void rejectsAPacketShorterThanTheHeader() {
        assertThatThrownBy(() -> GenericByteData.parse(new byte[31])).isInstanceOf(GenericByteDataException.class)
                .hasMessage("GenericByteData packet of 31 bytes is shorter than the 32-byte header");
    }

    @Test
    void rejectsOtherDataTypes() {
        byte[] packet = GenericByteData.encode(0x0A, 1, true, SYNC, SYNC, new byte[0]);
        packet[1] = 0x20; // audio
        assertThatThrownBy(() -> GenericByteData.parse(packet)).isInstanceOf(GenericByteDataException.class)
                .hasMessageContaining("data type 0x0020 is not a video stream packet (expected 0x0010)");
    }

    @Test
    void recognisesALegacyVideoBlockByTheCodecIdAtOffsetZero() {
        byte[] block = new byte[GenericByteData.LEGACY_BLOCK_HEADER_LENGTH + 10];
        block[1] = 0x01; // JPEG video block
        assertThatThrownBy(() -> GenericByteData.parse(block)).isInstanceOf(LegacyVideoBlockException.class)
                .hasMessageContaining("legacy GenericByteData video block").hasMessageContaining("codec JPEG")
                .hasMessageContaining("H.264 in the Management Client")
                .satisfies(e -> assertThat(((LegacyVideoBlockException) e).codecId()).isEqualTo(0x01));
    }

    @Test
    void rejectsATotalLengthBeyondTheBytesReceived() {
        byte[] packet = GenericByteData.encode(0x0A, 1, true, SYNC, SYNC, new byte[10]);
        byte[] truncated = java.util.Arrays.copyOf(packet, 38);
        assertThatThrownBy(() -> GenericByteData.parse(truncated)).isInstanceOf(GenericByteDataException.class)
                .hasMessage("GenericByteData total length 42 exceeds the 38 bytes received (truncated packet)");
    }

    @Test
    void rejectsATotalLengthShorterThanTheHeader() {
        byte[] packet = GenericByteData.encode(0x0A, 1, true, SYNC, SYNC, new byte[10]);
        packet[5] = 20;
        assertThatThrownBy(() -> GenericByteData.parse(packet)).isInstanceOf(GenericByteDataException.class)
                .hasMessageContaining("total length 20 is less than the 32-byte header");
    }

    @Test
    void namesCodecsAsOperatorsKnowThem() {
        assertThat(VideoCodec.describe(0x000A)).isEqualTo("H.264");
        assertThat(VideoCodec.describe(0x000E)).isEqualTo("H.265");
        assertThat(VideoCodec.describe(0x0005)).isEqualTo("MPEG-4");
        assertThat(VideoCodec.describe(0x0042)).isEqualTo("unknown (0x0042)");
        assertThat(VideoCodec.fromId(0x0042)).isEqualTo(VideoCodec.UNKNOWN);
    }

    @Test
    void findsTheVideoPacketInsideAMultiPacketWrapperByWalkingTheInnerLengths() {
        byte[] video = GenericByteData.encode(0x000A, 7, true, SYNC, SYNC, new byte[] {0, 0, 0, 1, 0x65, 1});
        byte[] metadata = GenericByteData.encodeData(GenericByteData.DATA_TYPE_METADATA, SYNC, new byte[] {'<', '/'});
        byte[] wrapper = GenericByteData.wrap(metadata, video);

        assertThat(GenericByteData.videoPacketIn(wrapper)).isEqualTo(video);
        assertThat(GenericByteData.parse(GenericByteData.videoPacketIn(wrapper)).sequence()).isEqualTo(7);
        assertThat(GenericByteData.videoPacketIn(video)).isSameAs(video);
    }

    @Test
    void aWrapperWithoutVideoOrAPacketOfAnotherTypeIsNotAPictureNamingItsType() {
        byte[] audio = GenericByteData.encodeData(GenericByteData.DATA_TYPE_AUDIO, SYNC, new byte[] {1});
        assertThatThrownBy(() -> GenericByteData.videoPacketIn(GenericByteData.wrap(audio)))
                .isInstanceOf(NotVideoPacketException.class).hasMessageContaining("0xFEF0");
        assertThatThrownBy(() -> GenericByteData.parse(audio)).isInstanceOf(NotVideoPacketException.class)
                .hasMessageContaining("0x0020");
    }

    @Test
    void aWrapperWhoseInnerLengthOverrunsItIsMalformed() {
        byte[] wrapper = GenericByteData.wrap(GenericByteData.encode(0x000A, 1, true, SYNC, SYNC, new byte[8]));
        wrapper[GenericByteData.MULTI_PACKET_HEADER_LENGTH + 5] += 4; // the inner packet claims 4 bytes too many
        assertThatThrownBy(() -> GenericByteData.videoPacketIn(wrapper)).isInstanceOf(GenericByteDataException.class)
                .isNotInstanceOf(NotVideoPacketException.class).hasMessageContaining("declares");
    }
}
