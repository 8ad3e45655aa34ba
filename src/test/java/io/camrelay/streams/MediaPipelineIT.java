package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camrelay.support.MediaHeaders;
import io.camrelay.media.AccessUnits;
import io.camrelay.media.AnnexB;
import io.camrelay.media.GenericByteData;
import io.camrelay.media.VideoCodec;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.RecorderStamps;
import io.camrelay.testing.TestClips;
import io.camrelay.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The four media processors in a real Camel route, fed GenericByteData packets cut from x264/x265 clips as a
 * recorder would send them, recording to FLV; ffprobe and ffmpeg judge the result.
 */
class MediaPipelineIT extends CamelTestSupport {

    private static final String CAMERA = "638bc8f1-cf28-4329-b8e6-5bba37bdb48f";
    private static final long T0 = 1_763_700_000_000L;
    private static final long INTERVAL_MS = 40;
    /** One AAC frame at 48 kHz. */
    private static final double AAC_FRAME_MS = 1024 * 1000.0 / 48_000;
    private static final Path OUT = Path.of("target", "media-pipeline-it");

    /** Sends every access unit of {@code clip} as a GenericByteData packet through a new route; returns the file. */
    private Path relay(TestClips.Clip clip, int codecId) throws Exception {
        int pictures = AccessUnits.split(TestClips.bytes(clip), clip.hevc() ? VideoCodec.H265 : VideoCodec.H264)
                .size();
        long[] even = new long[pictures];
        for (int i = 0; i < pictures; i++) {
            even[i] = T0 + INTERVAL_MS * i;
        }
        return relay(clip, codecId, even, clip.name());
    }

    /** The same, the pictures stamped {@code stamps} (picture times, decode order); the file is named {@code name}. */
    private Path relay(TestClips.Clip clip, int codecId, long[] stamps, String name) throws Exception {
        VideoCodec codec = clip.hevc() ? VideoCodec.H265 : VideoCodec.H264;
        List<byte[]> units = AccessUnits.split(TestClips.bytes(clip), codec);
        Path file = OUT.resolve(name + ".flv");
        for (Path earlier : io.camrelay.testing.FlvFiles.recordingsOf(file)) {
            Files.delete(earlier);
        }
        FlvFileDestination destination = new FlvFileDestination(file);
        String routeId = "stream-" + name;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // one set of processor instances per route: tagging and audio keep per-stream state
                from("direct:" + name).routeId(routeId)
                        .process(new StripHeaderProcessor())
                        .process(new CodecValidationProcessor("Lobby"))
                        .process(new FlvTaggingProcessor())
                        .process(new SilentAudioProcessor())
                        .process(destination);
            }
        });
        assertThat(destination.isStarted()).as("the destination starts with its route").isTrue();
        long syncTime = T0;
        for (int i = 0; i < units.size(); i++) {
            byte[] unit = units.get(i);
            long pictureTime = stamps[i];
            boolean sync = isKeyFrame(unit, codec);
            if (sync) {
                syncTime = pictureTime;
            }
            template.sendBodyAndHeader("direct:" + name,
                    GenericByteData.encode(codecId, i, sync, syncTime, pictureTime, unit), MediaHeaders.CAMERA_ID,
                    CAMERA);
        }
        context.getRouteController().stopRoute(routeId);
        assertThat(destination.isStopped()).as("the destination stops (and closes the file) with its route")
                .isTrue();
        return io.camrelay.testing.FlvFiles.onlyRecordingOf(file);
    }

    private static boolean isKeyFrame(byte[] unit, VideoCodec codec) {
        return AnnexB.nalUnits(unit).stream().anyMatch(nal -> codec == VideoCodec.H264 ? (nal[0] & 0x1F) == 5
                : ((nal[0] >> 1) & 0x3F) >= 16 && ((nal[0] >> 1) & 0x3F) <= 21);
    }

    private static List<FfProbe.Packet> packets(Path file, String type) {
        return FfProbe.packets(file).stream().filter(p -> p.codecType().equals(type)).toList();
    }

    /** What every relayed H.264 clip must look like. */
    private static void assertPlayable(Path file, TestClips.Clip clip) {
        int pictures = AccessUnits.split(TestClips.bytes(clip), VideoCodec.H264).size();
        FfProbe.Stream video = FfProbe.stream(file, "video");
        assertThat(video.codecName()).isEqualTo("h264");
        assertThat(video.width()).isEqualTo(clip.width());
        assertThat(video.height()).isEqualTo(clip.height());
        assertThat(video.frames()).as("decoded video frames").isEqualTo(pictures);
        FfProbe.Stream audio = FfProbe.stream(file, "audio");
        assertThat(audio.codecName()).isEqualTo("aac");
        assertThat(audio.sampleRate()).isEqualTo(48_000);
        assertThat(audio.channels()).isEqualTo(2);

        List<FfProbe.Packet> videoPackets = packets(file, "video");
        List<FfProbe.Packet> audioPackets = packets(file, "audio");
        assertThat(videoPackets).hasSize(pictures);
        long lastVideoDts = videoPackets.get(videoPackets.size() - 1).dtsMs();
        assertThat(lastVideoDts).isEqualTo(INTERVAL_MS * (pictures - 1));
        // the silent track covers the video timeline up to the last picture, to within one AAC frame
        double audioEnd = audioPackets.size() * AAC_FRAME_MS;
        assertThat(audioEnd).isCloseTo(lastVideoDts, within(AAC_FRAME_MS));
        assertThat(audioPackets.get(0).ptsMs()).isZero();
        assertThat(FfProbe.decodeErrors(file)).isEmpty();
    }

    @Test
    void baselineClipBecomesAPlayableFlvWithSilentAudio() throws Exception {
        Path file = relay(TestClips.BASELINE, VideoCodec.H264.id());
        assertPlayable(file, TestClips.BASELINE);
        assertThat(packets(file, "video")).allSatisfy(p -> assertThat(p.ptsMs()).isEqualTo(p.dtsMs()));
    }

    @Test
    void hd1080pClipKeepsItsCroppedSize() throws Exception {
        Path file = relay(TestClips.HD_1080P, VideoCodec.H264.id());
        assertPlayable(file, TestClips.HD_1080P);
    }

    @Test
    void bFrameClipGetsTheTimestampsFfmpegGivesTheSameEncoding() throws Exception {
        Path file = relay(TestClips.HIGH_BFRAMES, VideoCodec.H264.id());
        assertPlayable(file, TestClips.HIGH_BFRAMES);
        List<FfProbe.Packet> video = packets(file, "video");
        assertThat(video).anySatisfy(p -> assertThat(p.ptsMs()).isNotEqualTo(p.dtsMs()));
        List<Long> dts = video.stream().map(FfProbe.Packet::dtsMs).toList();
        assertThat(dts).isSorted().doesNotHaveDuplicates();
        List<Long> pts = new ArrayList<>(video.stream().map(FfProbe.Packet::ptsMs).toList());
        pts.sort(null);
        for (int i = 1; i < pts.size(); i++) {
            assertThat(pts.get(i) - pts.get(i - 1)).as("display slot %d", i).isEqualTo(INTERVAL_MS);
        }
        assertThat(video.get(0).key()).isTrue();
        assertThat(video.get(0).dtsMs()).isZero();
        assertThat(video.get(0).ptsMs()).isEqualTo(80); // 2 B-frames at 25 fps, as FFmpeg starts

        // FFmpeg 5.1 cannot remux raw H.264 with B-frames (-c copy: "Packet is missing PTS"), so encode the same
        // recipe (x264 is deterministic) straight to FLV and compare every picture's composition offset.
        List<Long> ours = video.stream().map(p -> p.ptsMs() - p.dtsMs()).toList();
        assertThat(ours).isEqualTo(ffmpegCompositionOffsets(TestClips.HIGH_BFRAMES));
    }

    @Test
    void bFrameClipsStampedAsARecorderDoesComeOutEvenlyTimed() throws Exception {
        for (TestClips.Clip clip : List.of(TestClips.ONE_BFRAME, TestClips.TWO_BFRAMES, TestClips.PYRAMID)) {
            long[] stamps = RecorderStamps.bursty(TestClips.displayOrder(clip), T0, INTERVAL_MS, 1, 0);
            Path file = relay(clip, VideoCodec.H264.id(), stamps, clip.name() + "-bursty");

            List<FfProbe.Packet> video = packets(file, "video");
            assertThat(video).hasSize(stamps.length);
            assertThat(video).allSatisfy(p -> assertThat(p.ptsMs()).isGreaterThanOrEqualTo(p.dtsMs()));
            assertThat(video.stream().map(FfProbe.Packet::dtsMs).toList()).isSorted().doesNotHaveDuplicates();
            List<Long> pts = new ArrayList<>(video.stream().map(FfProbe.Packet::ptsMs).toList());
            pts.sort(null);
            assertThat(pts).doesNotHaveDuplicates();
            for (int i = 1; i < pts.size(); i++) {
                assertThat(pts.get(i) - pts.get(i - 1)).as("%s presentation step %d", clip.name(), i)
                        .isBetween(INTERVAL_MS - 5, INTERVAL_MS + 5);
            }
            assertThat(FfProbe.decodeErrors(file)).isEmpty();
        }
    }

    private static List<Long> ffmpegCompositionOffsets(TestClips.Clip clip) throws Exception {
        Files.createDirectories(OUT);
        Path reference = OUT.resolve(clip.name() + "-ffmpeg.flv");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=" + clip.width() + "x" + clip.height() + ":rate=" + clip.fps(), "-frames:v",
                String.valueOf(clip.frames()), "-pix_fmt", "yuv420p"));
        cmd.addAll(clip.x26xArgs());
        cmd.add(reference.toString());
        Tools.run(300, cmd.toArray(String[]::new)).requireSuccess("ffmpeg reference encode");
        return packets(reference, "video").stream().map(p -> p.ptsMs() - p.dtsMs()).toList();
    }

    @Test
    void hevcCameraIsRefusedWithTheFix() {
        assertThatThrownBy(() -> relay(TestClips.HEVC, VideoCodec.H265.id()))
                .isInstanceOf(CamelExecutionException.class).cause()
                .isInstanceOf(UnsupportedCodecException.class)
                .hasMessage("camera 'Lobby' (" + CAMERA + ") sends H.265, which YouTube, Twitch and Facebook do not "
                        + "accept over RTMP: set the camera's stream to H.264 in the Management Client");
    }
}
