package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Mp4AudioConfigTest {

    /** {@code AF 00} + the AudioSpecificConfig. */
    private static Mp4AudioConfig parse(String ascHex) {
        return Mp4AudioConfig.parse(BitWriter.hex("af00" + ascHex), 2, 0);
    }

    @Test
    void readsTheSilentTracksConfig() {
        Mp4AudioConfig config = parse(BitWriter.hex(SilentAac.DEFAULT.audioSpecificConfig()));

        assertThat(config.objectType()).isEqualTo(2);
        assertThat(config.sampleRate()).isEqualTo(48_000);
        assertThat(config.channels()).isEqualTo(2);
        assertThat(config.samplesPerFrame()).isEqualTo(1024);
        assertThat(config.codecString()).isEqualTo("mp4a.40.2");
    }

    @Test
    void readsMonoAt44100Hz() {
        Mp4AudioConfig config = parse(BitWriter.hex(new SilentAac(44_100, 1).audioSpecificConfig()));

        assertThat(config.sampleRate()).isEqualTo(44_100);
        assertThat(config.channels()).isEqualTo(1);
    }

    @Test
    void readsAnExplicitSampleRateAndTheShortFrameLength() {
        // AOT 2, index 15, 24-bit rate 22050, channels 1, frameLengthFlag 1
        long bits = (2L << 35) | (15L << 31) | (22_050L << 7) | (1L << 3) | (1L << 2);
        Mp4AudioConfig config = parse(String.format("%010x", bits));

        assertThat(config.sampleRate()).isEqualTo(22_050);
        assertThat(config.samplesPerFrame()).isEqualTo(960);
    }

    @Test
    void rejectsHeAac() {
        assertThatThrownBy(() -> parse("2b92")).isInstanceOf(Mp4FormatException.class).hasMessage(
                "AAC sequence header at 0 ms: audio object type 5 is not supported (expected 1..4: AAC Main, LC, SSR, "
                        + "LTP)");
    }

    @Test
    void rejectsChannelsLeftToAProgramConfigElement() {
        assertThatThrownBy(() -> parse("1180")).isInstanceOf(Mp4FormatException.class)
                .hasMessageContaining("channel configuration 0 is not supported");
    }

    @Test
    void rejectsATruncatedConfig() {
        assertThatThrownBy(() -> parse("11")).isInstanceOf(Mp4FormatException.class)
                .hasMessageContaining("ends inside its AudioSpecificConfig");
    }
}
