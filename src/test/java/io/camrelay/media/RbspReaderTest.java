package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RbspReaderTest {

    private static RbspReader reader(String hex) {
        byte[] b = BitWriter.hex(hex);
        return new RbspReader(b, 0, b.length, 1024, "test");
    }

    @Test
    void removesEmulationPreventionBytes() {
        // 00 00 03 01 escapes 00 00 01: the RBSP is 00 00 01
        RbspReader r = reader("00 00 03 01");
        assertThat(r.bits(24)).isEqualTo(1);
        assertThat(r.bitsLeft()).isZero();
    }

    @Test
    void keepsAThreeThatFollowsOnlyOneZero() {
        RbspReader r = reader("00 03 00 00 03 00");
        assertThat(r.bits(8)).isZero();
        assertThat(r.bits(8)).isEqualTo(3);
        assertThat(r.bits(24)).isZero();
        assertThat(r.bitsLeft()).isZero();
    }

    @Test
    void decodesExpGolombCodes() {
        // ue: 1 -> 0, 010 -> 1, 011 -> 2, 00100 -> 3; se: 010 -> +1, 011 -> -1
        byte[] b = new BitWriter().ue(0).ue(1).ue(2).ue(3).se(1).se(-1).se(-7).ue(1000).nal(0);
        RbspReader r = new RbspReader(b, 1, b.length, 1024, "test");
        assertThat(r.ue()).isZero();
        assertThat(r.ue()).isEqualTo(1);
        assertThat(r.ue()).isEqualTo(2);
        assertThat(r.ue()).isEqualTo(3);
        assertThat(r.se()).isEqualTo(1);
        assertThat(r.se()).isEqualTo(-1);
        assertThat(r.se()).isEqualTo(-7);
        assertThat(r.ue()).isEqualTo(1000);
    }

    @Test
    void readingPastTheEndThrowsSyntaxException() {
        RbspReader r = reader("FF");
        r.bits(8);
        assertThatThrownBy(r::flag).isInstanceOf(H264SyntaxException.class).hasMessageContaining("truncated");
    }

    @Test
    void anExpGolombCodeRunningOffTheEndThrowsSyntaxException() {
        assertThatThrownBy(() -> reader("00 00").ue()).isInstanceOf(H264SyntaxException.class);
    }

    @Test
    void rejectsAnExpGolombPrefixLongerThan31Zeros() {
        assertThatThrownBy(() -> reader("00 00 00 00 00 01").ue()).isInstanceOf(H264SyntaxException.class)
                .hasMessageContaining("leading zero bits");
    }

    @Test
    void rejectsAValueAboveTheElementsMaximum() {
        byte[] b = new BitWriter().ue(40).nal(0);
        RbspReader r = new RbspReader(b, 1, b.length, 1024, "SPS");
        assertThatThrownBy(() -> r.ue("seq_parameter_set_id", 31)).isInstanceOf(H264SyntaxException.class)
                .hasMessage("SPS: seq_parameter_set_id is 40, expected 0..31");
    }

    @Test
    void readsOnlyUpToMaxBytes() {
        byte[] b = BitWriter.hex("FF FF FF FF");
        RbspReader r = new RbspReader(b, 0, b.length, 2, "slice header");
        assertThat(r.bitsLeft()).isEqualTo(16);
    }
}
