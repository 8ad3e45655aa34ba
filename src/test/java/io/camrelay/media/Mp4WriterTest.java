package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camrelay.testing.FfProbe;
import io.camrelay.testing.TestClips;
import io.camrelay.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4WriterTest {

    private static final double FRAME_S = Mp4TestInput.INTERVAL_MS / 1000.0;

    @TempDir
    Path dir;

    private Path out() {
        return dir.resolve("out.mp4");
    }

    private Path temp() throws IOException {
        return Files.createDirectories(dir.resolve("tmp"));
    }

    /** Writes {@code tags} to out.mp4 with the given co64 threshold. */
    private Path write(List<FlvTag> tags, long co64Threshold) throws IOException {
        try (Mp4Writer writer = new Mp4Writer(out(), temp(), co64Threshold)) {
            writer.write(tags);
            writer.finish();
        }
        return out();
    }

    private Path write(List<FlvTag> tags) throws IOException {
        return write(tags, Mp4Writer.CO64_THRESHOLD);
    }

    private Mp4TestBoxes boxes(Path file) throws IOException {
        return new Mp4TestBoxes(Files.readAllBytes(file));
    }

    private static List<FfProbe.Packet> videoPackets(Path file) {
        return FfProbe.packets(file).stream().filter(p -> p.codecType().equals("video")).toList();
    }

    @Test
    void baselineClipHasH264AndAacWithEveryPictureAndTheInputsDuration() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(TestClips.BASELINE);
        Path file = write(tags);

        FfProbe.Stream video = FfProbe.stream(file, "video");
        assertThat(video.codecName()).isEqualTo("h264");
        assertThat(video.frames()).isEqualTo(Mp4TestInput.pictures(tags).size());
        assertThat(video.duration()).isCloseTo(TestClips.BASELINE.frames() * FRAME_S, within(FRAME_S));
        assertThat(FfProbe.stream(file, "audio").codecName()).isEqualTo("aac");
    }

    @Test
    void baselineClipDecodesWithoutAnError() throws IOException {
        assertThat(FfProbe.decodeErrors(write(Mp4TestInput.tags(TestClips.BASELINE)))).isEmpty();
    }

    @Test
    void bFrameClipDecodesWithoutAnErrorWithEveryPictureAndTheInputsDuration() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(TestClips.HIGH_BFRAMES);
        Path file = write(tags);

        assertThat(FfProbe.decodeErrors(file)).isEmpty();
        FfProbe.Stream video = FfProbe.stream(file, "video");
        assertThat(video.frames()).isEqualTo(Mp4TestInput.pictures(tags).size());
        assertThat(video.duration()).isCloseTo(TestClips.HIGH_BFRAMES.frames() * FRAME_S, within(FRAME_S));
        assertThat(FfProbe.stream(file, "audio").codecName()).isEqualTo("aac");
    }

    @Test
    void firstVideoFrameIsAKeyFrame() throws IOException {
        assertThat(videoPackets(write(Mp4TestInput.tags(TestClips.HIGH_BFRAMES))).get(0).key()).isTrue();
    }

    @Test
    void bFrameClipKeepsPtsApartFromDtsAndPresentsFromZero() throws IOException {
        List<FfProbe.Packet> packets = videoPackets(write(Mp4TestInput.tags(TestClips.HIGH_BFRAMES)));

        assertThat(packets).anyMatch(p -> p.ptsMs() != p.dtsMs());
        assertThat(packets).allMatch(p -> p.ptsMs() >= 0);
        // every picture shown once, one frame apart, from 0
        assertThat(packets.stream().map(FfProbe.Packet::ptsMs).sorted().toList()).isEqualTo(
                IntStream.range(0, TestClips.HIGH_BFRAMES.frames()).mapToObj(i -> i * Mp4TestInput.INTERVAL_MS)
                        .toList());
    }

    @Test
    void writesCompositionOffsetsOnlyForAStreamThatReorders() throws IOException {
        Mp4TestBoxes baseline = boxes(write(Mp4TestInput.tags(TestClips.BASELINE)));
        assertThat(baseline.all(baseline.track("vide"), "mdia/minf/stbl/ctts")).isEmpty();

        Mp4TestBoxes high = boxes(write(Mp4TestInput.tags(TestClips.HIGH_BFRAMES)));
        Mp4TestBoxes.Box ctts = high.one(high.track("vide"), "mdia/minf/stbl/ctts");
        assertThat(high.u8(ctts.payloadOffset())).as("ctts version").isZero();
    }

    @Test
    void moovComesBeforeMdat() throws IOException {
        Mp4TestBoxes file = boxes(write(Mp4TestInput.tags(TestClips.BASELINE)));
        assertThat(file.topLevel()).extracting(Mp4TestBoxes.Box::type).containsExactly("ftyp", "moov", "mdat");
    }

    @Test
    void stssListsExactlyTheKeyFrames() throws IOException {
        List<FlvTag> pictures = Mp4TestInput.pictures(Mp4TestInput.tags(TestClips.HIGH_BFRAMES));
        List<Long> keyFrames = IntStream.range(0, pictures.size()).filter(i -> pictures.get(i).keyFrame())
                .mapToObj(i -> i + 1L).toList();
        Path file = write(Mp4TestInput.tags(TestClips.HIGH_BFRAMES));
        Mp4TestBoxes boxes = boxes(file);

        assertThat(boxes.u32Entries(boxes.one(boxes.track("vide"), "mdia/minf/stbl/stss"))).isEqualTo(keyFrames)
                .containsExactly(1L, 51L); // the clip's 2 s GOP
        List<FfProbe.Packet> packets = videoPackets(file);
        assertThat(IntStream.range(0, packets.size()).filter(i -> packets.get(i).key()).mapToObj(i -> i + 1L))
                .isEqualTo(keyFrames);
    }

    @Test
    void forcedCo64FileUsesSixtyFourBitOffsetsAndDecodes() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(TestClips.HIGH_BFRAMES);
        Path file = write(tags, 0);
        Mp4TestBoxes boxes = boxes(file);

        for (String track : List.of("vide", "soun")) {
            assertThat(boxes.all(boxes.track(track), "mdia/minf/stbl/co64")).hasSize(1);
            assertThat(boxes.all(boxes.track(track), "mdia/minf/stbl/stco")).isEmpty();
        }
        assertThat(FfProbe.decodeErrors(file)).isEmpty();
        assertThat(FfProbe.stream(file, "video").frames()).isEqualTo(Mp4TestInput.pictures(tags).size());
    }

    @Test
    void aFiveSecondGapStaysAGapInTime() throws IOException {
        long gapAt = 2000;
        List<FlvTag> tags = Mp4TestInput.withGap(Mp4TestInput.tags(TestClips.BASELINE), gapAt, 5000);
        Path file = write(tags);

        List<Long> pts = videoPackets(file).stream().map(FfProbe.Packet::ptsMs).toList();
        assertThat(pts).contains(gapAt - Mp4TestInput.INTERVAL_MS).doesNotContain(gapAt).contains(gapAt + 5000);
        assertThat(FfProbe.stream(file, "video").duration())
                .isCloseTo(TestClips.BASELINE.frames() * FRAME_S + 5, within(FRAME_S));
        assertThat(FfProbe.decodeErrors(file)).isEmpty();
    }

    @Test
    void aParameterSetChangeAddsASampleEntryThatTheFollowingPicturesUse() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(List.of(TestClips.BASELINE, TestClips.HD_1080P));
        Path file = write(tags);
        Mp4TestBoxes boxes = boxes(file);
        Mp4TestBoxes.Box stbl = boxes.one(boxes.track("vide"), "mdia/minf/stbl");

        assertThat(boxes.all(stbl, "stsd/avc1")).hasSize(2);
        Mp4TestBoxes.Box stsc = boxes.one(stbl, "stsc");
        long lastEntryDescription = boxes.u32(stsc.end() - 4);
        assertThat(lastEntryDescription).isEqualTo(2);
        assertThat(FfProbe.decodeErrors(file)).isEmpty();
        String sizes = Tools.run(120, "ffprobe", "-v", "error", "-select_streams", "v",
                "-show_entries", "frame=width,height", "-of", "csv=p=0", file.toString()).requireSuccess("ffprobe")
                .stdout();
        assertThat(sizes.lines().filter(l -> l.startsWith("640,360"))).hasSize(TestClips.BASELINE.frames());
        assertThat(sizes.lines().filter(l -> l.startsWith("1920,1080"))).hasSize(TestClips.HD_1080P.frames());
    }

    @Test
    void aRepeatedSequenceHeaderAddsNoSampleEntry() throws IOException {
        List<FlvTag> tags = new ArrayList<>(Mp4TestInput.tags(TestClips.BASELINE));
        FlvTag header = tags.stream().filter(t -> t.type() == FlvTagType.VIDEO && t.sequenceHeader()).findFirst()
                .orElseThrow();
        tags.add(tags.size() / 2, header.withTimestamp(tags.get(tags.size() / 2).timestamp()));
        Mp4TestBoxes boxes = boxes(write(tags));

        assertThat(boxes.all(boxes.track("vide"), "mdia/minf/stbl/stsd/avc1")).hasSize(1);
    }

    @Test
    void everyAudioFrameLastsOneFrameLength() throws IOException {
        Mp4TestBoxes boxes = boxes(write(Mp4TestInput.tags(TestClips.BASELINE)));
        Mp4TestBoxes.Box stts = boxes.one(boxes.track("soun"), "mdia/minf/stbl/stts");

        assertThat(boxes.u32(stts.payloadOffset() + 4)).as("entries").isEqualTo(1);
        assertThat(boxes.u32(stts.payloadOffset() + 12)).as("sample_delta").isEqualTo(SilentAac.SAMPLES_PER_FRAME);
    }

    @Test
    void dropsPicturesBeforeTheFirstKeyFrame() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(TestClips.BASELINE);
        List<FlvTag> pictures = Mp4TestInput.pictures(tags);
        List<FlvTag> fromMidGop = new ArrayList<>(tags.stream().filter(FlvTag::sequenceHeader).toList());
        fromMidGop.addAll(pictures.subList(10, pictures.size()));
        try (Mp4Writer writer = new Mp4Writer(out(), temp())) {
            writer.write(fromMidGop);
            writer.finish();

            assertThat(writer.droppedPictures()).isEqualTo(40); // up to the key frame at picture 50
            assertThat(writer.videoSamples()).isEqualTo(50);
        }
        assertThat(videoPackets(out()).get(0).key()).isTrue();
    }

    @Test
    void finishDeletesTheTempFiles() throws IOException {
        write(Mp4TestInput.tags(TestClips.BASELINE));

        assertThat(out()).isNotEmptyFile();
        try (Stream<Path> left = Files.list(temp())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void abortLeavesNoFileAndNoTempFiles() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(TestClips.BASELINE);
        Mp4Writer writer = new Mp4Writer(out(), temp());
        writer.write(tags.subList(0, tags.size() / 2));
        assertThat(writer.tempFiles()).allMatch(Files::exists).hasSizeGreaterThan(1);

        writer.abort();

        assertThat(out()).doesNotExist();
        try (Stream<Path> left = Files.list(temp())) {
            assertThat(left).isEmpty();
        }
        assertThatThrownBy(() -> writer.write(tags.get(0))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void abortLeavesAFileItNeverWroteAlone() throws IOException {
        Files.writeString(out(), "someone else's");
        Mp4Writer writer = new Mp4Writer(out(), temp());
        writer.write(Mp4TestInput.tags(TestClips.BASELINE));

        writer.abort();

        assertThat(out()).hasContent("someone else's");
    }

    @Test
    void closeWithoutFinishLeavesNoFile() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(TestClips.BASELINE);
        try (Mp4Writer writer = new Mp4Writer(out(), temp())) {
            writer.write(tags);
        }

        assertThat(out()).doesNotExist();
        try (Stream<Path> left = Files.list(temp())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void finishingAnEmptyRecordingFailsAndLeavesNoFile() throws IOException {
        Mp4Writer writer = new Mp4Writer(out(), temp());

        assertThatThrownBy(writer::finish).isInstanceOf(Mp4FormatException.class)
                .hasMessageContaining("no picture and no audio frame");
        assertThat(out()).doesNotExist();
        try (Stream<Path> left = Files.list(temp())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void rejectsAPictureBeforeAnySequenceHeader() throws IOException {
        FlvTag picture = Mp4TestInput.pictures(Mp4TestInput.tags(TestClips.BASELINE)).get(0);
        try (Mp4Writer writer = new Mp4Writer(out(), temp())) {
            assertThatThrownBy(() -> writer.write(picture)).isInstanceOf(Mp4FormatException.class)
                    .hasMessage("picture at 0 ms comes before any AVC sequence header (expected the sequence header "
                            + "first)");
        }
    }

    @Test
    void rejectsAVideoTagOfAnotherCodec() throws IOException {
        FlvTag hevc = FlvTag.video(0, true, false, false, new byte[] {0x1C, 1, 0, 0, 0, 0, 0, 0, 1, 0x26});
        try (Mp4Writer writer = new Mp4Writer(out(), temp())) {
            assertThatThrownBy(() -> writer.write(hevc)).isInstanceOf(Mp4FormatException.class)
                    .hasMessage("video tag at 0 ms is of codec id 12, which cannot be written (expected codec id 7, "
                            + "AVC)");
        }
    }

    @Test
    void rejectsAnEnhancedRtmpVideoTag() throws IOException {
        FlvTag hvc1 = FlvTag.video(0, true, false, false, new byte[] {(byte) 0x91, 'h', 'v', 'c', '1'});
        try (Mp4Writer writer = new Mp4Writer(out(), temp())) {
            assertThatThrownBy(() -> writer.write(hvc1)).isInstanceOf(Mp4FormatException.class)
                    .hasMessageContaining("Enhanced RTMP");
        }
    }

    @Test
    void rejectsAnAudioTagThatIsNotAac() throws IOException {
        FlvTag mp3 = FlvTag.audio(0, false, new byte[] {0x2F, 1, 2, 3});
        try (Mp4Writer writer = new Mp4Writer(out(), temp())) {
            assertThatThrownBy(() -> writer.write(mp3)).isInstanceOf(Mp4FormatException.class)
                    .hasMessage("audio tag at 0 ms has sound format 2, which cannot be written (expected 10, AAC)");
        }
    }

    @Test
    void rejectsAPictureTimestampGoingBackwardsAndKeepsWhatWasWritten() throws IOException {
        List<FlvTag> tags = Mp4TestInput.tags(TestClips.BASELINE);
        List<FlvTag> pictures = Mp4TestInput.pictures(tags);
        try (Mp4Writer writer = new Mp4Writer(out(), temp())) {
            writer.write(tags.subList(0, tags.indexOf(pictures.get(3)) + 1));

            assertThatThrownBy(() -> writer.write(pictures.get(4).withTimestamp(80)))
                    .isInstanceOf(Mp4FormatException.class)
                    .hasMessage("picture timestamp 80 ms does not increase (expected more than the previous "
                            + "picture's 120 ms)");
            writer.write(tags.subList(tags.indexOf(pictures.get(3)) + 1, tags.size()));
            writer.finish();
        }
        assertThat(FfProbe.stream(out(), "video").frames()).isEqualTo(pictures.size());
    }

    @Test
    void rejectsAnAudioTimestampGoingBackwards() throws IOException {
        SilentAac aac = SilentAac.DEFAULT;
        try (Mp4Writer writer = new Mp4Writer(out(), temp())) {
            writer.write(FlvTag.audio(0, true, aac.sequenceHeaderBody()));
            writer.write(FlvTag.audio(100, false, aac.frameBody()));

            assertThatThrownBy(() -> writer.write(FlvTag.audio(50, false, aac.frameBody())))
                    .isInstanceOf(Mp4FormatException.class)
                    .hasMessage("audio timestamp 50 ms goes backwards (expected at least the previous frame's 100 ms)");
        }
    }

    @Test
    void bookkeepingStaysTheSameSizeHoweverLongTheRecording() throws IOException {
        List<FlvTag> header = Mp4TestInput.tags(TestClips.BASELINE).stream().filter(FlvTag::sequenceHeader)
                .toList();
        SilentAudioInterleaver audio = new SilentAudioInterleaver();
        byte[] picture = new byte[2000];
        picture[0] = 0x27;
        picture[1] = 1;
        byte[] key = picture.clone();
        key[0] = 0x17;
        long[] held = new long[2];
        try (Mp4Writer writer = new Mp4Writer(out(), temp())) {
            writer.write(audio.interleave(header));
            for (int i = 0; i < 20_000; i++) {
                writer.write(audio.interleave(List.of(FlvTag.video(40L * i, i % 50 == 0, false, false,
                        i % 50 == 0 ? key : picture))));
                if (i == 1_000) {
                    held[0] = writer.heldBytes();
                }
            }
            held[1] = writer.heldBytes();

            assertThat(writer.videoSamples()).isEqualTo(20_000);
        }
        assertThat(held[1]).isEqualTo(held[0]).isLessThan(256 * 1024);
    }
}
