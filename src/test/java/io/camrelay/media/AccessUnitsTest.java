package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.testing.TestClips;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessUnitsTest {

    private static byte[] slice(boolean first, int type) {
        return new byte[] {(byte) (0x40 | type), (byte) (first ? 0x88 : 0x08), 0x10};
    }

    @Test
    void startsANewUnitAtParameterSetsAndFirstSlices() {
        byte[] sps = BitWriter.hex("6742c01e");
        byte[] pps = BitWriter.hex("68ce3880");
        byte[] stream = AnnexB.join(List.of(sps, pps, slice(true, 5), slice(false, 5), slice(true, 1),
                BitWriter.hex("0910"), slice(true, 1)));
        List<byte[]> units = AccessUnits.split(stream, VideoCodec.H264);
        assertThat(units).hasSize(3);
        assertThat(AnnexB.nalUnits(units.get(0))).hasSize(4); // SPS PPS and two slices of the IDR picture
        assertThat(AnnexB.nalUnits(units.get(1))).hasSize(1);
        assertThat(AnnexB.nalUnits(units.get(2))).hasSize(2); // AUD + slice
    }

    @Test
    void cutsAnEncodedClipIntoOnePicturePerFrame() {
        assertThat(AccessUnits.split(TestClips.bytes(TestClips.BASELINE), VideoCodec.H264))
                .hasSize(TestClips.BASELINE.frames());
        assertThat(AccessUnits.split(TestClips.bytes(TestClips.HIGH_BFRAMES), VideoCodec.H264))
                .hasSize(TestClips.HIGH_BFRAMES.frames());
    }

    @Test
    void refusesCodecsWithoutNalUnits() {
        assertThatThrownBy(() -> AccessUnits.split(new byte[0], VideoCodec.JPEG))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
