package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.testing.TestClips;
import java.util.Arrays;
import java.util.Random;
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

    @Test
    void mutatedOrRandomTagsAreReadOrRefusedWithMp4FormatExceptionOnly() {
        byte[] avc = Mp4TestInput.tags(TestClips.HIGH_BFRAMES).stream()
                .filter(t -> t.type() == FlvTagType.VIDEO && t.sequenceHeader()).findFirst().orElseThrow().body();
        byte[] aac = SilentAac.DEFAULT.sequenceHeaderBody();
        Random random = new Random(42);
        for (int round = 0; round < 5000; round++) {
            byte[] base = round % 2 == 0 ? avc : aac;
            byte[] body = Arrays.copyOf(base, random.nextInt(base.length + 8));
            for (int flips = random.nextInt(4); flips > 0 && body.length > 2; flips--) {
                body[2 + random.nextInt(body.length - 2)] ^= (byte) (1 << random.nextInt(8)); // keep the tag header
            }
            FlvTag tag = round % 2 == 0 ? FlvTag.video(0, true, true, false, body) : FlvTag.audio(0, true, body);
            try {
                reader.read(tag);
            } catch (Mp4FormatException expected) {
                // refused with the writers' exception: fine
            } catch (RuntimeException e) {
                throw new AssertionError("reading " + BitWriter.hex(body) + " threw " + e, e);
            }
        }
    }
}
