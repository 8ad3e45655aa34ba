package io.camrelay.imageserver.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.GenericByteData;
import io.camrelay.media.VideoCodec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PayloadTest {

    private static final byte[] PACKET = GenericByteData.encode(VideoCodec.H264.id(), 1, true, 10, 10,
            new byte[] {0, 0, 0, 1, 0x65, 0x11});

    @Test
    void passesOnAVideoStreamPacketWhoseLengthMatches() {
        assertThat(Payload.classify(PACKET)).isEqualTo(Payload.VIDEO_PACKET);
    }

    @Test
    void recognisesJpegByItsFirstBytes() {
        assertThat(Payload.classify(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}))
                .isEqualTo(Payload.JPEG);
    }

    @Test
    void refusesLegacyVideoBlocksNamingThem() {
        byte[] legacy = PACKET.clone();
        legacy[0] = 0x00;
        legacy[1] = 0x0A;

        assertThat(Payload.classify(legacy)).isEqualTo(Payload.NOT_VIDEO_PACKET);
        assertThat(Payload.describe(legacy)).contains("legacy GenericByteData video blocks (codec 0x000A)");
    }

    @Test
    void reportsATotalLengthBeyondTheBodyAsALengthMismatch() {
        byte[] truncated = Arrays.copyOf(PACKET, PACKET.length - 2);

        assertThat(Payload.classify(truncated)).isEqualTo(Payload.LENGTH_MISMATCH);
        assertThat(Payload.describe(truncated)).contains("total length " + PACKET.length + " does not match its "
                + truncated.length + "-byte");
    }

    @Test
    void treatsAnEmptyBodyAsNoPicture() {
        assertThat(Payload.classify(new byte[0])).isEqualTo(Payload.EMPTY);
    }

    @Test
    void passesOnPacketsOfOtherDataTypesAndTheMultiPacketWrapperForTheRouteToSkipOrWalk() {
        byte[] audio = GenericByteData.encodeData(GenericByteData.DATA_TYPE_AUDIO, 10, new byte[] {1, 2});
        byte[] metadata = GenericByteData.encodeData(GenericByteData.DATA_TYPE_METADATA, 10, new byte[] {'<'});
        assertThat(Payload.classify(audio)).isEqualTo(Payload.OTHER_PACKET);
        assertThat(Payload.classify(metadata)).isEqualTo(Payload.OTHER_PACKET);
        assertThat(Payload.classify(GenericByteData.wrap(metadata, PACKET))).isEqualTo(Payload.OTHER_PACKET);
        assertThat(Payload.classify(Arrays.copyOf(GenericByteData.wrap(PACKET), 40))).isEqualTo(Payload.LENGTH_MISMATCH);
    }
}
