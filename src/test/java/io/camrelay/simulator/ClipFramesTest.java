package io.camrelay.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClipFramesTest {

    @ParameterizedTest
    @EnumSource(value = SimulatorClip.class, names = {"H264_BASELINE", "H264_BFRAMES", "H265"})
    void videoClipsAreSixSecondsWithAKeyFrameEveryTwoSeconds(SimulatorClip clip) {
        List<ClipFrames.Frame> frames = ClipFrames.load(clip);

        assertThat(frames).hasSize(6 * clip.fps());
        assertThat(IntStream.range(0, frames.size()).filter(i -> frames.get(i).keyFrame()).boxed().toList())
                .containsExactly(0, 50, 100);
    }

    @Test
    void jpegClipIsCutIntoWholePictures() {
        List<ClipFrames.Frame> frames = ClipFrames.load(SimulatorClip.JPEG);

        assertThat(frames).hasSize(6 * SimulatorClip.JPEG.fps());
        assertThat(frames).allSatisfy(f -> {
            byte[] d = f.data();
            assertThat(d[0] & 0xFF).isEqualTo(0xFF);
            assertThat(d[1] & 0xFF).isEqualTo(0xD8);
            assertThat(d[d.length - 2] & 0xFF).isEqualTo(0xFF);
            assertThat(d[d.length - 1] & 0xFF).isEqualTo(0xD9);
        });
    }
}
