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

    /** The obvious splitter, byte by byte, to hold the fast scan against. */
    private static List<String> naiveSplit(byte[] d) {
        List<String> out = new java.util.ArrayList<>();
        int start = -1;
        for (int i = 0; i + 2 < d.length; i++) {
            if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                if (start >= 0) {
                    addTrimmed(out, d, start, i);
                }
                start = i + 3;
                i += 2;
            }
        }
        if (start >= 0) {
            addTrimmed(out, d, start, d.length);
        }
        return out;
    }

    private static void addTrimmed(List<String> out, byte[] d, int from, int to) {
        while (to > from && d[to - 1] == 0) {
            to--;
        }
        if (to > from) {
            out.add(BitWriter.hex(java.util.Arrays.copyOfRange(d, from, to)));
        }
    }

    @Test
    void findsTheSameUnitsAsAByteByByteScanWhateverTheBytesAroundStartCodes() {
        java.util.Random random = new java.util.Random(11);
        byte[] alphabet = {0, 0, 0, 1, 2, 3, (byte) 0x80, (byte) 0xFF, 0x7F, 0x65};
        for (int round = 0; round < 5000; round++) {
            byte[] data = new byte[random.nextInt(40)];
            for (int i = 0; i < data.length; i++) {
                data[i] = alphabet[random.nextInt(alphabet.length)];
            }
            assertThat(AnnexB.nalUnits(data)).extracting(BitWriter::hex).as(BitWriter.hex(data))
                    .containsExactlyElementsOf(naiveSplit(data));
        }
    }
}
