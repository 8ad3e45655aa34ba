package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Mp4TagReaderTest {

    private final Mp4TagReader reader = new Mp4TagReader();

    @Test
    void ignoresScriptDataEndOfSequenceAndVideoCommandFrames() {
        assertThat(reader.read(FlvTag.script(0, new byte[] {2}))).isEqualTo(Mp4TagReader.Kind.IGNORED);
        assertThat(reader.read(AvcTagger.endOfSequence(0))).isEqualTo(Mp4TagReader.Kind.IGNORED);
        assertThat(reader.read(FlvTag.video(0, false, false, false, new byte[] {0x57, 0})))
                .isEqualTo(Mp4TagReader.Kind.IGNORED);
    }

    @Test
    void readsAPicturesKeyFrameFlagAndSignedCompositionTime() {
        assertThat(reader.read(FlvTag.video(0, false, false, false, new byte[] {0x27, 1, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xD8, 0, 0, 0, 1, 0x41}))).isEqualTo(Mp4TagReader.Kind.VIDEO_SAMPLE);
        assertThat(reader.keyFrame()).isFalse();
        assertThat(reader.compositionTime()).isEqualTo(-40);
        assertThat(reader.payloadOffset()).isEqualTo(5);

        reader.read(FlvTag.video(0, true, false, false, new byte[] {0x17, 1, 0, 0, 80, 0, 0, 0, 1, 0x65}));
        assertThat(reader.keyFrame()).isTrue();
        assertThat(reader.compositionTime()).isEqualTo(80);
    }

    @Test
    void readsAnAacFrameAfterItsTwoHeaderBytes() {
        assertThat(reader.read(FlvTag.audio(0, false, SilentAac.DEFAULT.frameBody())))
                .isEqualTo(Mp4TagReader.Kind.AUDIO_SAMPLE);
        assertThat(reader.payloadOffset()).isEqualTo(2);
        assertThat(reader.keyFrame()).isTrue();
    }

    @Test
    void readsTheAudioSpecificConfigOfAnAacSequenceHeader() {
        assertThat(reader.read(FlvTag.audio(0, true, SilentAac.DEFAULT.sequenceHeaderBody())))
                .isEqualTo(Mp4TagReader.Kind.AUDIO_CONFIG);
        assertThat(reader.audioConfig().sampleRate()).isEqualTo(48_000);
    }

    @Test
    void rejectsATruncatedAvcTag() {
        assertThatThrownBy(() -> reader.read(FlvTag.video(40, true, false, false, new byte[] {0x17, 1})))
                .isInstanceOf(Mp4FormatException.class)
                .hasMessage("AVC video tag at 40 ms of 2 bytes is truncated (expected at least 5)");
    }

    @Test
    void rejectsAnUnknownAvcPacketType() {
        assertThatThrownBy(() -> reader.read(FlvTag.video(40, true, false, false, new byte[] {0x17, 3, 0, 0, 0})))
                .isInstanceOf(Mp4FormatException.class)
                .hasMessage("AVC video tag at 40 ms has AVCPacketType 3 (expected 0, 1 or 2)");
    }
}
