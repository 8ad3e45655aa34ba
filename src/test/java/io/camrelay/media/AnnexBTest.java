package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnnexBTest {

    @Test
    void splitsOnThreeAndFourByteStartCodes() {
        byte[] stream = BitWriter.hex("00000001 6742 000001 68ce 00000001 65888400");
        assertThat(AnnexB.nalUnits(stream)).extracting(BitWriter::hex).containsExactly("6742", "68ce", "658884");
    }

    @Test
    void removesTrailingZeroBytesBeforeAStartCodeAndAtTheEnd() {
        byte[] stream = BitWriter.hex("000001 0980 0000 00000001 6588 000000");
        assertThat(AnnexB.nalUnits(stream)).extracting(BitWriter::hex).containsExactly("0980", "6588");
    }

    @Test
    void ignoresBytesBeforeTheFirstStartCodeAndEmptyUnits() {
        byte[] stream = BitWriter.hex("ffee 000001 000001 0605");
        assertThat(AnnexB.nalUnits(stream)).extracting(BitWriter::hex).containsExactly("0605");
    }

    @Test
    void keepsEmulationPreventionBytesInsideUnits() {
        byte[] stream = BitWriter.hex("00000001 67 000003 01 ff");
        assertThat(AnnexB.nalUnits(stream)).extracting(BitWriter::hex).containsExactly("6700000301ff");
    }

    @Test
    void findsNothingWithoutStartCode() {
        assertThat(AnnexB.nalUnits(new byte[0])).isEmpty();
        assertThat(AnnexB.nalUnits(BitWriter.hex("0000"))).isEmpty();
        assertThat(AnnexB.nalUnits(BitWriter.hex("6742c01e"))).isEmpty();
    }

    @Test
    void joinWritesFourByteStartCodesThatSplitBackToTheSameUnits() {
        List<byte[]> units = List.of(BitWriter.hex("6742"), BitWriter.hex("68ce"));
        byte[] joined = AnnexB.join(units);
        assertThat(BitWriter.hex(joined)).isEqualTo("00000001674200000001" + "68ce");
        assertThat(AnnexB.nalUnits(joined)).extracting(BitWriter::hex).containsExactly("6742", "68ce");
    }
}
