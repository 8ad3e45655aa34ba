package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class FlvFileWriterTest {

    @Test
    void writesTheFileHeaderAndPreviousTagSizeZero() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FlvFileWriter(out).close();
        assertThat(BitWriter.hex(out.toByteArray())).isEqualTo("464c5601050000000900000000");
        assertThat(BitWriter.hex(FlvFileWriter.fileHeader(false, true))).isEqualTo("464c560101" + "00000009");
    }

    @Test
    void writesTagHeaderBodyAndPreviousTagSize() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FlvFileWriter writer = new FlvFileWriter(out);
        writer.write(FlvTag.audio(0x01020304L, false, new byte[] {(byte) 0xAF, 0x01, 0x21}));
        byte[] bytes = out.toByteArray();
        // type 8, size 3, timestamp low 24 bits 02 03 04, extended 01, stream id 0, body, previous size 14
        assertThat(BitWriter.hex(java.util.Arrays.copyOfRange(bytes, 13, bytes.length)))
                .isEqualTo("08" + "000003" + "020304" + "01" + "000000" + "af0121" + "0000000e");
        assertThat(writer.bytesWritten()).isEqualTo(bytes.length);
    }

    @Test
    void writesVideoAndScriptTypeCodes() {
        byte[] header = new byte[FlvFileWriter.TAG_HEADER_LENGTH];
        FlvFileWriter.tagHeader(FlvTag.video(40, true, false, false, new byte[300]), header);
        assertThat(BitWriter.hex(header)).isEqualTo("09" + "00012c" + "000028" + "00" + "000000");
        FlvFileWriter.tagHeader(FlvTag.script(0, new byte[2]), header);
        assertThat(header[0]).isEqualTo((byte) 18);
    }

    @Test
    void refusesATimestampBeyond32Bits() {
        byte[] header = new byte[FlvFileWriter.TAG_HEADER_LENGTH];
        assertThatThrownBy(() -> FlvFileWriter.tagHeader(FlvTag.audio(1L << 32, false, new byte[1]), header))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-bit");
    }
}
