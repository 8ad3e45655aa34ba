package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SilentAacTest {

    @Test
    void audioSpecificConfigsMatchTheReferenceTable() {
        assertThat(BitWriter.hex(new SilentAac(48_000, 2).audioSpecificConfig())).isEqualTo("1190");
        assertThat(BitWriter.hex(new SilentAac(48_000, 1).audioSpecificConfig())).isEqualTo("1188");
        assertThat(BitWriter.hex(new SilentAac(44_100, 2).audioSpecificConfig())).isEqualTo("1210");
        assertThat(BitWriter.hex(new SilentAac(44_100, 1).audioSpecificConfig())).isEqualTo("1208");
    }

    @Test
    void defaultIs48KiloHertzStereo() {
        assertThat(SilentAac.DEFAULT).isEqualTo(new SilentAac(48_000, 2));
    }

    @Test
    void silentFramesAreFfmpegsAnullsrcFrames() {
        assertThat(BitWriter.hex(new SilentAac(48_000, 2).rawFrame())).isEqualTo("211004608c1c");
        assertThat(BitWriter.hex(new SilentAac(44_100, 1).rawFrame())).isEqualTo("01182007");
    }

    @Test
    void tagBodiesStartWithAacHeaderAndPacketType() {
        SilentAac aac = SilentAac.DEFAULT;
        assertThat(BitWriter.hex(aac.sequenceHeaderBody())).isEqualTo("af001190");
        assertThat(BitWriter.hex(aac.frameBody())).isEqualTo("af01211004608c1c");
        assertThat(BitWriter.hex(new SilentAac(44_100, 1).frameBody())).isEqualTo("af0101182007");
    }

    @Test
    void timestampsFollowTheSampleCounterAt48KiloHertz() {
        SilentAac aac = SilentAac.DEFAULT;
        assertThat(new long[] {aac.timestampMs(0), aac.timestampMs(1), aac.timestampMs(2), aac.timestampMs(3),
            aac.timestampMs(4)}).containsExactly(0, 21, 43, 64, 85);
    }

    @Test
    void timestampsDoNotDriftAfterAnHour() {
        SilentAac aac = SilentAac.DEFAULT;
        long framesPerHour = 3600L * 48_000 / 1024; // 168750 frames exactly
        assertThat(aac.timestampMs(framesPerHour)).isEqualTo(3_600_000);
        SilentAac cd = new SilentAac(44_100, 2);
        long n = 3600L * 44_100 / 1024; // 155039 frames = 3599.98 s
        assertThat(cd.timestampMs(n)).isEqualTo(Math.round(n * 1024 * 1000.0 / 44_100));
        assertThat(Math.abs(cd.timestampMs(n) - 3_600_000)).isLessThan(24);
    }

    @Test
    void refusesOtherRatesAndChannelCounts() {
        assertThatThrownBy(() -> new SilentAac(32_000, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32000 Hz");
        assertThatThrownBy(() -> new SilentAac(48_000, 6)).isInstanceOf(IllegalArgumentException.class);
    }
}
