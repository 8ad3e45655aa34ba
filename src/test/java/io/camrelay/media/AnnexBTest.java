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

    /** The start-code search in its plainest form, to hold the word-at-a-time scan against. */
    private static int referenceNextStartCode(byte[] d, int from) {
        for (int i = from; i + 2 < d.length; i++) {
            if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                return i;
            }
        }
        return -1;
    }

    /** The NAL unit bounds as "from-to" strings, found with {@link #referenceNextStartCode}. */
    private static List<String> referenceBounds(byte[] d) {
        List<String> out = new java.util.ArrayList<>();
        int start = referenceNextStartCode(d, 0);
        while (start >= 0) {
            int next = referenceNextStartCode(d, start + 3);
            int end = next < 0 ? d.length : next;
            while (end > start + 3 && d[end - 1] == 0) {
                end--;
            }
            if (end > start + 3) {
                out.add((start + 3) + "-" + end);
            }
            start = next;
        }
        return out;
    }

    private static List<String> bounds(byte[] d) {
        List<String> out = new java.util.ArrayList<>();
        AnnexB.forEachNalUnit(d, (from, to) -> out.add(from + "-" + to));
        return out;
    }

    private static void assertScansAgree(byte[] data) {
        for (int from = 0; from <= data.length + 1; from++) {
            int found = AnnexB.nextStartCode(data, from);
            int expected = referenceNextStartCode(data, from);
            if (found != expected) { // the description only when it fails: formatting it every time is slow
                assertThat(found).as("from %d in %s", from, BitWriter.hex(data)).isEqualTo(expected);
            }
        }
        List<String> found = bounds(data);
        List<String> expected = referenceBounds(data);
        if (!found.equals(expected)) {
            assertThat(found).as(BitWriter.hex(data)).isEqualTo(expected);
        }
    }

    @Test
    void findsTheSameStartCodesAsThePlainScanOnRandomDataFullOfZerosAndStartCodes() {
        java.util.Random random = new java.util.Random(6);
        byte[][] patterns = {{0, 0, 1}, {0, 0, 0, 1}, {0, 0, 0}, {0, 0, 3}, {0, 1}};
        for (int round = 0; round < 3000; round++) {
            byte[] data = new byte[random.nextInt(300)];
            int zeroPercent = random.nextInt(100);
            for (int i = 0; i < data.length; i++) {
                int dice = random.nextInt(100);
                data[i] = dice < zeroPercent ? 0 : dice < zeroPercent + 10 ? 1 : (byte) random.nextInt(256);
            }
            for (int n = random.nextInt(6); n > 0 && data.length > 4; n--) {
                byte[] pattern = patterns[random.nextInt(patterns.length)];
                System.arraycopy(pattern, 0, data, random.nextInt(data.length - pattern.length + 1), pattern.length);
            }
            assertScansAgree(data);
        }
    }

    @Test
    void findsTheSameStartCodesAsThePlainScanOnEveryShortArrayOfZerosOnesAndHighBytes() {
        // 0x01 right above a zero is where the has-zero-byte test raises false alarms; 0x80 has the tested bit set
        byte[] alphabet = {0, 1, (byte) 0x80};
        for (int length = 0; length <= 11; length++) {
            int combinations = (int) Math.pow(alphabet.length, length);
            for (int c = 0; c < combinations; c++) {
                byte[] data = new byte[length];
                for (int i = 0, rest = c; i < length; i++, rest /= alphabet.length) {
                    data[i] = alphabet[rest % alphabet.length];
                }
                assertScansAgree(data);
            }
        }
    }

    @Test
    void findsNoUnitInAllZeroArraysAndTheStartCodeAtTheirEnd() {
        for (int length = 0; length <= 70; length++) {
            byte[] zeros = new byte[length];
            assertScansAgree(zeros);
            assertThat(AnnexB.nalUnits(zeros)).isEmpty();
            byte[] withCode = java.util.Arrays.copyOf(zeros, length + 2);
            withCode[length + 1] = 1;
            byte[] withUnit = java.util.Arrays.copyOf(withCode, length + 3);
            withUnit[length + 2] = 0x65;
            assertScansAgree(withCode);
            assertScansAgree(withUnit);
            assertThat(AnnexB.nextStartCode(withCode, 0)).isEqualTo(length >= 1 ? length - 1 : -1);
            assertThat(AnnexB.nalUnits(withUnit)).extracting(BitWriter::hex)
                    .containsExactlyElementsOf(length >= 1 ? List.of("65") : List.of());
        }
    }
}
