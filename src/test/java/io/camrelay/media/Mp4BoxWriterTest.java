package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class Mp4BoxWriterTest {

    private static final int OUTER = Mp4BoxWriter.type("outr");
    private static final int INNER = Mp4BoxWriter.type("innr");

    @Test
    void patchesTheSizeOfNestedBoxes() {
        Mp4BoxWriter w = new Mp4BoxWriter(4);
        w.begin(OUTER).u8(0xAA).begin(INNER).u16(0xBBCC).end().end();

        assertThat(BitWriter.hex(w.toByteArray())).isEqualTo(
                "00000013" + "6f757472" + "aa" // size 19, 'outr', one byte
                        + "0000000a" + "696e6e72" + "bbcc"); // size 10, 'innr', two bytes
    }

    @Test
    void writesVersionAndFlagsOfAFullBox() {
        Mp4BoxWriter w = new Mp4BoxWriter(16);
        w.beginFull(OUTER, 1, 0x020001).end();

        assertThat(BitWriter.hex(w.toByteArray())).isEqualTo("0000000c" + "6f757472" + "01" + "020001");
    }

    @Test
    void countsExternalSegmentsInTheSizesAndStreamsThemInPlace() throws IOException {
        Mp4BoxWriter w = new Mp4BoxWriter(16);
        w.begin(OUTER).u8(1).external(3, out -> out.write(new byte[] {7, 8, 9})).u8(2).end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.writeTo(out);

        assertThat(w.position()).isEqualTo(13);
        assertThat(BitWriter.hex(out.toByteArray())).isEqualTo("0000000d" + "6f757472" + "01" + "070809" + "02");
        assertThatThrownBy(w::toByteArray).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void patchOverwritesAFieldWrittenEarlier() {
        Mp4BoxWriter w = new Mp4BoxWriter(16);
        w.begin(OUTER);
        int at = w.mark();
        w.u32(0).end();
        w.patchU32(at, 0x01020304);

        assertThat(BitWriter.hex(w.toByteArray())).isEqualTo("0000000c" + "6f757472" + "01020304");
    }

    @Test
    void resetKeepsNothingOfTheLastBoxes() {
        Mp4BoxWriter w = new Mp4BoxWriter(16);
        w.begin(OUTER).u64(-1).end();
        w.reset();
        w.begin(INNER).end();

        assertThat(BitWriter.hex(w.toByteArray())).isEqualTo("00000008" + "696e6e72");
    }

    @Test
    void refusesAnEndWithoutABoxAndOutputWithABoxOpen() {
        Mp4BoxWriter w = new Mp4BoxWriter(16);
        assertThatThrownBy(w::end).isInstanceOf(IllegalStateException.class);
        w.begin(OUTER);
        assertThatThrownBy(w::toByteArray).isInstanceOf(IllegalStateException.class).hasMessage("1 boxes still open");
    }

    @Test
    void refusesAnUnsignedFieldThatDoesNotFit() {
        assertThatThrownBy(() -> new Mp4BoxWriter(4).u32(1L << 32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value 4294967296 does not fit an unsigned 32-bit field");
    }
}
