package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilentAudioInterleaverTest {

    private static FlvTag sequenceHeader(long ts) {
        return FlvTag.video(ts, true, true, false, new byte[] {0x17, 0});
    }

    private static FlvTag picture(long ts, boolean key) {
        return FlvTag.video(ts, key, false, false, new byte[] {(byte) (key ? 0x17 : 0x27), 1});
    }

    private static List<Long> audioTimestamps(List<FlvTag> tags) {
        return tags.stream().filter(t -> t.type() == FlvTagType.AUDIO && !t.sequenceHeader())
                .map(FlvTag::timestamp).toList();
    }

    @Test
    void putsTheAacConfigRightAfterTheFirstVideoSequenceHeader() {
        SilentAudioInterleaver interleaver = new SilentAudioInterleaver();
        FlvTag metadata = FlvTag.script(0, new byte[] {2});
        List<FlvTag> out = interleaver.interleave(List.of(metadata, sequenceHeader(0), picture(0, true)));
        assertThat(out).extracting(FlvTag::type).containsExactly(FlvTagType.SCRIPT, FlvTagType.VIDEO,
                FlvTagType.AUDIO, FlvTagType.AUDIO, FlvTagType.VIDEO);
        assertThat(BitWriter.hex(out.get(2).body())).isEqualTo("af001190");
        assertThat(out.get(2).sequenceHeader()).isTrue();
        assertThat(out.get(3).timestamp()).isZero(); // frame 0 at ts 0 precedes the picture at 0
        // a second sequence header (SPS change) gets no second AAC config
        List<FlvTag> again = interleaver.interleave(List.of(sequenceHeader(40), picture(40, true)));
        assertThat(again.stream().filter(FlvTag::sequenceHeader)).hasSize(1);
    }

    @Test
    void emitsEveryFrameDueBeforeEachPicture() {
        SilentAudioInterleaver interleaver = new SilentAudioInterleaver();
        List<FlvTag> all = new ArrayList<>(interleaver.interleave(List.of(sequenceHeader(0), picture(0, true))));
        for (int i = 1; i <= 25; i++) {
            all.addAll(interleaver.interleave(List.of(picture(40L * i, false))));
        }
        assertThat(audioTimestamps(all).subList(0, 6)).containsExactly(0L, 21L, 43L, 64L, 85L, 107L);
        // at video 1000 ms, frames 0..46 (46 -> 981 ms) have been sent; frame 47 (1003 ms) has not
        assertThat(audioTimestamps(all)).hasSize(47).last().isEqualTo(981L);
        long lastTs = -1;
        for (FlvTag tag : all) {
            assertThat(tag.timestamp()).isGreaterThanOrEqualTo(lastTs);
            lastTs = tag.timestamp();
        }
    }

    @Test
    void aLongVideoGapSkipsAudioForwardInsteadOfBursting() {
        SilentAudioInterleaver interleaver = new SilentAudioInterleaver();
        interleaver.interleave(List.of(sequenceHeader(0), picture(0, true)));
        List<FlvTag> out = interleaver.interleave(List.of(picture(60_000, false)));
        List<Long> audio = audioTimestamps(out);
        assertThat(audio.size()).isLessThanOrEqualTo(
                (int) (SilentAudioInterleaver.MAX_CATCH_UP_MS * 48_000 / 1024 / 1000) + 2);
        assertThat(audio.get(0)).isGreaterThanOrEqualTo(60_000 - SilentAudioInterleaver.MAX_CATCH_UP_MS);
        assertThat(audio.get(audio.size() - 1)).isLessThanOrEqualTo(60_000);
    }

    @Test
    void monoTrackUsesMonoFrames() {
        SilentAudioInterleaver interleaver = new SilentAudioInterleaver(new SilentAac(44_100, 1));
        List<FlvTag> out = interleaver.interleave(List.of(sequenceHeader(0), picture(100, true)));
        assertThat(out.stream().filter(t -> t.type() == FlvTagType.AUDIO).map(t -> BitWriter.hex(t.body())))
                .containsExactly("af001208", "af0101182007", "af0101182007", "af0101182007", "af0101182007",
                        "af0101182007");
        assertThat(interleaver.framesEmitted()).isEqualTo(5); // 0, 23, 46, 70, 93
    }

    @Test
    void aRecordingsTrackResumesWithThePictureAfterAGapSoTheGapStaysInTheAudio() {
        SilentAudioInterleaver interleaver = SilentAudioInterleaver.forRecording(SilentAac.DEFAULT);
        interleaver.interleave(List.of(sequenceHeader(0), picture(0, true)));
        List<Long> before = audioTimestamps(interleaver.interleave(List.of(picture(40, false))));
        List<FlvTag> afterGap = interleaver.interleave(List.of(picture(60_040, true)));
        List<Long> next = audioTimestamps(interleaver.interleave(List.of(picture(60_080, false))));

        assertThat(before).containsExactly(21L); // 0 came with the first picture; 21 ms ≤ 40 ms
        assertThat(audioTimestamps(afterGap)).as("no audio inside the gap").isEmpty();
        assertThat(next.get(0)).isBetween(60_040L, 60_040L + 22);
        assertThat(next).allMatch(ts -> ts <= 60_080);
    }

    @Test
    void aRecordingsTrackIsContinuousWithoutGaps() {
        SilentAudioInterleaver live = new SilentAudioInterleaver();
        SilentAudioInterleaver recording = SilentAudioInterleaver.forRecording(SilentAac.DEFAULT);
        List<Long> a = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        a.addAll(audioTimestamps(live.interleave(List.of(sequenceHeader(0), picture(0, true)))));
        b.addAll(audioTimestamps(recording.interleave(List.of(sequenceHeader(0), picture(0, true)))));
        for (long ts = 40; ts <= 4000; ts += 40) {
            a.addAll(audioTimestamps(live.interleave(List.of(picture(ts, false)))));
            b.addAll(audioTimestamps(recording.interleave(List.of(picture(ts, false)))));
        }
        assertThat(b).isEqualTo(a);
    }
}
