package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.testing.FfProbe;
import io.camrelay.testing.TestClips;
import io.camrelay.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FragmentedMp4WriterTest {

    /** ffprobe's profile names of the profile_idc values the clips use (H.264 Annex A). */
    private static final Map<String, Integer> PROFILE_IDC = Map.of("Constrained Baseline", 66, "Baseline", 66,
            "Main", 77, "High", 100);

    @TempDir
    Path dir;

    /** The writer's whole output for {@code tags}. */
    private static byte[] fragmented(List<FlvTag> tags) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FragmentedMp4Writer writer = new FragmentedMp4Writer(out);
        writer.write(tags);
        writer.finish();
        return out.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** The baseMediaDecodeTime of each traf of {@code trackId}, in fragment order. */
    private static List<Long> decodeTimes(Mp4TestBoxes boxes, int trackId) {
        List<Long> times = new ArrayList<>();
        for (Mp4TestBoxes.Box traf : boxes.all(null, "moof/traf")) {
            Mp4TestBoxes.Box tfhd = boxes.one(traf, "tfhd");
            if (boxes.u32(tfhd.payloadOffset() + 4) == trackId) {
                times.add(boxes.u64(boxes.one(traf, "tfdt").payloadOffset() + 4));
            }
        }
        return times;
    }

    @Test
    void initSegmentAndFragmentsDecodeWithoutAnErrorAsH264AndAac() throws IOException {
        for (TestClips.Clip clip : List.of(TestClips.BASELINE, TestClips.HIGH_BFRAMES)) {
            List<FlvTag> tags = Mp4TestInput.tags(clip);
            Path file = file(clip.name() + ".mp4", fragmented(tags));

            assertThat(FfProbe.decodeErrors(file)).as(clip.name()).isEmpty();
            FfProbe.Stream video = FfProbe.stream(file, "video");
            assertThat(video.codecName()).isEqualTo("h264");
            assertThat(video.frames()).isEqualTo(Mp4TestInput.pictures(tags).size());
            assertThat(FfProbe.stream(file, "audio").codecName()).isEqualTo("aac");
        }
    }

    @Test
    void writesTheInitSegmentThenOneFragmentPerPicture() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(TestClips.BASELINE);
        List<String> types = new Mp4TestBoxes(fragmented(tags)).topLevel().stream().map(Mp4TestBoxes.Box::type)
                .toList();

        assertThat(types.subList(0, 2)).containsExactly("ftyp", "moov");
        List<String> fragments = types.subList(2, types.size());
        assertThat(fragments).hasSize(2 * Mp4TestInput.pictures(tags).size());
        for (int i = 0; i < fragments.size(); i += 2) {
            assertThat(fragments.subList(i, i + 2)).containsExactly("moof", "mdat");
        }
    }

    @Test
    void initSegmentDeclaresBothTracksForFragmentsAndHoldsNoSample() throws IOException {
        Mp4TestBoxes boxes = new Mp4TestBoxes(fragmented(Mp4TestInput.tags(TestClips.BASELINE)));

        assertThat(boxes.all(null, "moov/mvex/trex")).hasSize(2);
        for (Mp4TestBoxes.Box stbl : boxes.all(null, "moov/trak/mdia/minf/stbl")) {
            for (String table : List.of("stts", "stsc", "stco")) {
                assertThat(boxes.u32(boxes.one(stbl, table).payloadOffset() + 4)).as(table + " entries").isZero();
            }
            assertThat(boxes.u32(boxes.one(stbl, "stsz").payloadOffset() + 8)).as("stsz sample_count").isZero();
        }
    }

    @Test
    void eachFragmentsDecodeTimeIncreases() throws IOException {
        Mp4TestBoxes boxes = new Mp4TestBoxes(fragmented(Mp4TestInput.tags(TestClips.HIGH_BFRAMES)));

        for (int track : List.of(Mp4Boxes.VIDEO_TRACK_ID, Mp4Boxes.AUDIO_TRACK_ID)) {
            List<Long> times = decodeTimes(boxes, track);
            assertThat(times).as("track " + track).hasSizeGreaterThan(90).isSorted().doesNotHaveDuplicates();
        }
        assertThat(decodeTimes(boxes, Mp4Boxes.VIDEO_TRACK_ID).get(0)).isZero();
        // the first AAC frame from the first picture's presentation time on: 85 ms against 80 ms, in samples
        assertThat(decodeTimes(boxes, Mp4Boxes.AUDIO_TRACK_ID).get(0)).isEqualTo(240);
    }

    @Test
    void firstPictureIsShownAtZeroAndLaterBFramesGetNegativeOffsets() throws IOException {
        Mp4TestBoxes boxes = new Mp4TestBoxes(fragmented(Mp4TestInput.tags(TestClips.HIGH_BFRAMES)));
        List<Mp4TestBoxes.Box> runs = boxes.all(null, "moof/traf/trun").stream()
                .filter(trun -> (boxes.u32(trun.payloadOffset()) & FragmentedMp4Writer.TRUN_COMPOSITION_OFFSET) != 0)
                .toList();

        Mp4TestBoxes.Box first = runs.get(0);
        assertThat(boxes.s32(first.payloadOffset() + 8 + 4 + 12)).as("first sample_composition_time_offset")
                .isZero();
        assertThat(boxes.u32(first.payloadOffset() + 8 + 4 + 8)).as("first sample_flags")
                .isEqualTo(FragmentedMp4Writer.SAMPLE_SYNC);
        assertThat(runs).anyMatch(trun -> boxes.u8(trun.payloadOffset()) == 1
                && boxes.s32(trun.payloadOffset() + 8 + 4 + 12) < 0);
    }

    @Test
    void startsAtAKeyFrameDroppingThePicturesBefore() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(TestClips.BASELINE);
        List<FlvTag> pictures = Mp4TestInput.pictures(tags);
        List<FlvTag> joined = new ArrayList<>(tags.stream().filter(FlvTag::sequenceHeader).toList());
        joined.addAll(pictures.subList(10, pictures.size())); // a viewer joining mid-GOP
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FragmentedMp4Writer writer = new FragmentedMp4Writer(out);
        writer.write(joined);
        writer.finish();

        assertThat(writer.droppedPictures()).isEqualTo(40); // up to the key frame at picture 50
        assertThat(writer.fragments()).isEqualTo(50);
        Path file = file("joined.mp4", out.toByteArray());
        assertThat(FfProbe.decodeErrors(file)).isEmpty();
        assertThat(FfProbe.stream(file, "video").frames()).isEqualTo(50);
    }

    @Test
    void aParameterSetChangeBringsASecondInitSegmentAndEachPartDecodes() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(List.of(TestClips.BASELINE, TestClips.HD_1080P));
        byte[] bytes = fragmented(tags);
        List<Mp4TestBoxes.Box> inits = new Mp4TestBoxes(bytes).all(null, "ftyp");
        assertThat(inits).hasSize(2);

        // each init segment applies to the fragments after it, as MSE appends them
        int change = inits.get(1).offset();
        Path before = file("before.mp4", Arrays.copyOfRange(bytes, 0, change));
        Path after = file("after.mp4", Arrays.copyOfRange(bytes, change, bytes.length));
        assertThat(FfProbe.decodeErrors(before)).isEmpty();
        assertThat(FfProbe.decodeErrors(after)).isEmpty();
        FfProbe.Stream first = FfProbe.stream(before, "video");
        FfProbe.Stream second = FfProbe.stream(after, "video");
        assertThat(List.of(first.width(), first.height(), first.frames()))
                .containsExactly(640, 360, TestClips.BASELINE.frames());
        assertThat(List.of(second.width(), second.height(), second.frames()))
                .containsExactly(1920, 1080, TestClips.HD_1080P.frames());
    }

    @Test
    void codecStringOfAHighProfileStreamNamesTheProfileAndLevelFfprobeReports() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(TestClips.HIGH_BFRAMES);
        FragmentedMp4Writer writer = new FragmentedMp4Writer(OutputStream.nullOutputStream());
        writer.write(tags);
        Path file = file("high.mp4", fragmented(tags));
        String[] probe = Tools.run(60, "ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                "stream=profile,level", "-of", "csv=p=0", file.toString()).requireSuccess("ffprobe").stdout().strip()
                .split(",");

        String codec = writer.codecs().orElseThrow().split(", ")[0];
        assertThat(probe[0]).isEqualTo("High");
        assertThat(Integer.parseInt(codec.substring(5, 7), 16)).isEqualTo(PROFILE_IDC.get(probe[0]));
        assertThat(Integer.parseInt(codec.substring(9, 11), 16)).isEqualTo(Integer.parseInt(probe[1]));
        assertThat(codec).isEqualTo("avc1.64001E");
    }

    @Test
    void mimeTypeOfTheBaselineStreamIsWhatMediaSourceIsAsked() throws IOException {
        FragmentedMp4Writer writer = new FragmentedMp4Writer(OutputStream.nullOutputStream());
        assertThat(writer.mimeType()).isEmpty();

        writer.write(Mp4TestInput.tags(TestClips.BASELINE).subList(0, 8));

        assertThat(writer.mimeType()).hasValue("video/mp4; codecs=\"avc1.42C01E, mp4a.40.2\"");
    }

    @Test
    void eachSegmentReachesTheStreamInOneWrite() throws IOException {
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("single-byte write");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                all.write(b, off, len);
            }
        };
        FragmentedMp4Writer writer = new FragmentedMp4Writer(out);
        writer.write(Mp4TestInput.tags(TestClips.BASELINE));
        writer.finish();

        assertThat(writes).hasSize((int) (writer.initSegments() + writer.fragments()));
        Mp4TestBoxes boxes = new Mp4TestBoxes(all.toByteArray());
        List<Mp4TestBoxes.Box> top = boxes.topLevel();
        int at = 0;
        for (int i = 0; i < writes.size(); i++) {
            Mp4TestBoxes.Box a = top.get(2 * i);
            Mp4TestBoxes.Box b = top.get(2 * i + 1);
            assertThat(a.offset()).isEqualTo(at);
            assertThat(a.size() + b.size()).as("write " + i).isEqualTo(writes.get(i));
            at += writes.get(i);
        }
    }

    @Test
    void rejectsAVideoTagOfAnotherCodec() {
        FragmentedMp4Writer writer = new FragmentedMp4Writer(OutputStream.nullOutputStream());
        FlvTag hevc = FlvTag.video(0, true, false, false, new byte[] {0x1C, 1, 0, 0, 0});

        assertThatThrownBy(() -> writer.write(hevc)).isInstanceOf(Mp4FormatException.class)
                .hasMessageContaining("codec id 12");
    }

    @Test
    void rejectsAPictureTimestampGoingBackwards() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(TestClips.BASELINE);
        List<FlvTag> pictures = Mp4TestInput.pictures(tags);
        FragmentedMp4Writer writer = new FragmentedMp4Writer(OutputStream.nullOutputStream());
        writer.write(tags.subList(0, tags.indexOf(pictures.get(3)) + 1));

        assertThatThrownBy(() -> writer.write(pictures.get(4).withTimestamp(80)))
                .isInstanceOf(Mp4FormatException.class)
                .hasMessage("picture timestamp 80 ms does not increase (expected more than the previous picture's "
                        + "120 ms)");
    }
}
