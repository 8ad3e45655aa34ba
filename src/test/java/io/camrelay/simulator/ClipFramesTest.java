package io.camrelay.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.media.VideoCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    void theBFrameClipsDisplayOrderIsAPermutationThatReorders() {
        ClipFrames.Loaded clip = ClipFrames.loadWithOrder(SimulatorClip.H264_BFRAMES);

        assertThat(clip.reordered()).isTrue();
        assertThat(clip.displayOrder()).hasSize(clip.frames().size()).startsWith(0, 2, 1, 4, 3, 7, 5, 6);
        assertThat(ClipFrames.loadWithOrder(SimulatorClip.H264_BASELINE).reordered()).isFalse();
    }

    @Test
    void anOrderFileThatIsNoPermutationOfTheClipIsRefusedNamingIt() {
        assertThatThrownBy(() -> ClipFrames.parseOrder("# c\n0 2 2 1", 4, "c.order"))
                .hasMessageContaining("c.order").hasMessageContaining("not a permutation");
        assertThatThrownBy(() -> ClipFrames.parseOrder("0 1 2", 4, "c.order")).hasMessageContaining("lists 3");
        assertThat(ClipFrames.parseOrder("# decode order\n0 2\n1 3\n", 4, "c.order")).containsExactly(0, 2, 1, 3);
    }

    @Test
    void burstyStampsBunchEachMiniGopBehindItsAnchorAndTheLoopContinuesEvenly() {
        ClipFrames.Loaded clip = ClipFrames.loadWithOrder(SimulatorClip.H264_BFRAMES);
        PictureSchedule bursty = PictureSchedule.of(clip, 25, true);
        PictureSchedule even = PictureSchedule.of(clip, 25, false);

        assertThat(IntStream.range(0, 8).mapToLong(n -> bursty.offsetNanos(n) / 1_000_000).toArray())
                .containsExactly(0, 80, 81, 160, 161, 280, 281, 282);
        assertThat(even.offsetNanos(7) / 1_000_000).isEqualTo(280);
        assertThat(bursty.offsetNanos(150) / 1_000_000).as("the second loop's first key frame").isEqualTo(6000);
        // the second loop's key frames are pictures 150 and 200 (arriving at 6 s and 8 s)
        assertThat(bursty.preBufferStart(7_999_000_000L)).isEqualTo(150);
        assertThat(bursty.preBufferStart(8_000_000_000L)).isEqualTo(200);
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

    @Test
    void clipFileIsCutLikeTheSameBundledClip(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("camera.h264");
        String bundled = SimulatorClip.H264_BASELINE.resourcePath();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(bundled)) {
            Files.write(file, in.readAllBytes());
        }

        List<ClipFrames.Frame> frames = ClipFrames.load(ClipFile.h264(file, 25));

        assertThat(frames).isEqualTo(ClipFrames.load(SimulatorClip.H264_BASELINE));
    }

    @Test
    void clipFileNotStartingWithAKeyFrameIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        List<ClipFrames.Frame> bundled = ClipFrames.load(SimulatorClip.H264_BASELINE);
        Path file = dir.resolve("cut.h264");
        Files.write(file, bundled.get(1).data());

        assertThatThrownBy(() -> ClipFrames.load(ClipFile.h264(file, 25)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("does not start with a key frame");
    }

    @Test
    void clipFileRefusesACodecThatIsNotAnAnnexBStream() {
        assertThatThrownBy(() -> new ClipFile(Path.of("x.mjpeg"), VideoCodec.JPEG, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected H264 or H265");
    }
}
