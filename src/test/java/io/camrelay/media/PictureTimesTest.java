package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.testing.RecorderStamps;
import io.camrelay.testing.TestClips;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LongSummaryStatistics;
import org.junit.jupiter.api.Test;

/**
 * Decode and presentation times of H.264 pictures stamped as a real recorder stamps them (reference §1.7): through
 * {@link AvcTagger}, on synthetic slices whose SPS says or does not say what the stream does, and on x264 clips with
 * 1 and 2 B-frames and a B-pyramid whose display order ffprobe tells, stamped with bursty arrival times.
 */
class PictureTimesTest {

    private static final long T0 = 1_763_700_000_000L;
    private static final double INTERVAL = 40;
    private static final long GOP_MS = 2000;
    private static final long STEP_TOLERANCE_MS = 5;
    private static final byte[] PPS = H264SliceHeaderTest.PPS;

    /** One picture's tag times. */
    private record Times(long dts, long pts) {
    }

    /** I0 P3 B1 B2 P6 B4 B5 as {nal type, ref idc, poc lsb} (POC = 2 × display position), then I P B B again. */
    private static final int[][] IPBB_TWO_GOPS = {{5, 3, 0}, {1, 2, 6}, {1, 0, 2}, {1, 0, 4}, {1, 2, 12},
        {1, 0, 8}, {1, 0, 10}, {5, 3, 0}, {1, 2, 6}, {1, 0, 2}, {1, 0, 4}};
    private static final int[] IPBB_DISPLAY = {0, 3, 1, 2, 6, 4, 5, 7, 10, 8, 9};
    private static final int[][] IPPP = {{5, 3, 0}, {1, 2, 2}, {1, 2, 4}, {1, 2, 6}, {1, 2, 8}, {1, 2, 10},
        {1, 2, 12}, {1, 2, 14}, {1, 2, 16}, {1, 2, 18}};

    /** Main profile, POC type 0 (log2 lsb 6), a VUI with only bitstream_restriction (no timing). */
    private static byte[] mainSpsWithReorderFrames(int maxNumReorderFrames) {
        return new BitWriter().u(8, 77).u(8, 0).u(8, 31).ue(0).ue(0).ue(0).ue(2).ue(2).flag(false).ue(39)
                .ue(29).flag(true).flag(true).flag(false).flag(true) // VUI
                .flag(false).flag(false).flag(false).flag(false).flag(false).flag(false).flag(false).flag(false)
                .flag(true).flag(true).ue(0).ue(0).ue(16).ue(16).ue(maxNumReorderFrames).ue(2)
                .nal(0x67);
    }

    /**
     * Tags {@code pictures} ({nal type, ref idc, poc lsb}, decode order) stamped {@code stamps}; returns the times of
     * the picture tags in decode order and, in {@code emittedAt}, after which input picture each came out.
     */
    private static List<Times> tag(byte[] sps, int[][] pictures, long[] stamps, List<Integer> emittedAt) {
        return tag(new AvcTagger(), sps, pictures, stamps, emittedAt);
    }

    private static List<Times> tag(AvcTagger tagger, byte[] sps, int[][] pictures, long[] stamps,
            List<Integer> emittedAt) {
        List<Times> out = new ArrayList<>();
        int frameNum = 0;
        for (int i = 0; i < pictures.length; i++) {
            int[] p = pictures[i];
            frameNum = p[0] == 5 ? 0 : frameNum;
            BitWriter w = new BitWriter().ue(0).ue(0).ue(0).u(4, frameNum % 16);
            if (p[0] == 5) {
                w.ue(0);
            }
            byte[] slice = w.u(6, p[2] % 64).nal((p[1] << 5) | p[0]);
            byte[] au = p[0] == 5 ? AnnexB.join(List.of(sps, PPS, slice)) : AnnexB.join(List.of(slice));
            for (FlvTag tag : tagger.tag(au, stamps[i])) {
                if (!tag.sequenceHeader()) {
                    out.add(new Times(tag.timestamp(), tag.timestamp() + compositionTime(tag)));
                    emittedAt.add(i);
                }
            }
            frameNum += p[1] != 0 ? 1 : 0;
        }
        return out;
    }

    private static long[] even(int count, double interval) {
        long[] stamps = new long[count];
        for (int i = 0; i < count; i++) {
            stamps[i] = T0 + Math.round(i * interval);
        }
        return stamps;
    }

    private static int compositionTime(FlvTag tag) {
        byte[] b = tag.bodyUnsafe();
        return (b[2] << 16) | ((b[3] & 0xFF) << 8) | (b[4] & 0xFF);
    }

    private static List<Long> offsets(List<Times> times) {
        return times.stream().map(t -> t.pts() - t.dts()).toList();
    }

    @Test
    void aRecordingsGapStaysAGapAndIsNotMeasuredAsTheFrameInterval() {
        int[][] gop = {{5, 3, 0}, {1, 2, 6}, {1, 0, 2}, {1, 0, 4}, {1, 2, 12}, {1, 0, 8}, {1, 0, 10}};
        int[][] pictures = new int[21][];
        int[] display = new int[21];
        for (int i = 0; i < 21; i++) {
            pictures[i] = gop[i % 7];
            display[i] = (i / 7) * 7 + IPBB_DISPLAY[i % 7];
        }
        long[] stamps = RecorderStamps.bursty(display, T0, INTERVAL, 1, 0);
        for (int i = 7; i < 21; i++) {
            stamps[i] += 5_000; // the recorder has nothing for 5 s before the second GOP (a plausible GOP span)
        }

        List<Times> times = tag(new AvcTagger(Timeline.forRecording()), mainSpsWithReorderFrames(1), pictures, stamps,
                new ArrayList<>());

        assertThat(times).hasSize(21);
        assertThat(times.get(7).dts()).as("the second GOP at its recorder time, 5 s later").isEqualTo(5_280L);
        for (int i = 8; i < 21; i++) {
            assertThat(times.get(i).dts() - times.get(i - 1).dts()).as("decode step " + i).isEqualTo(40L);
        }
        assertThat(times.subList(14, 21).stream().map(Times::pts).sorted().toList()).as("third GOP shown evenly")
                .containsExactly(5_600L, 5_640L, 5_680L, 5_720L, 5_760L, 5_800L, 5_840L);
    }

    @Test
    void usesTheReorderDepthFromTheVuiAndHoldsTheFirstGopUntilTheIntervalIsMeasured() {
        List<Integer> emittedAt = new ArrayList<>();

        List<Times> times = tag(mainSpsWithReorderFrames(1), IPBB_TWO_GOPS, even(11, INTERVAL), emittedAt);

        // display = decode + CTS: I at 40, P3 at 40+160, B1 at 80+0 ... strictly ordered by position
        assertThat(offsets(times)).containsExactly(40L, 120L, 0L, 0L, 120L, 0L, 0L, 40L, 120L, 0L, 0L);
        assertThat(emittedAt.subList(0, 8)).as("no signalled rate: the first GOP waits for the second IDR")
                .containsOnly(7);
        assertThat(emittedAt.subList(8, 11)).containsExactly(8, 9, 10);
    }

    @Test
    void learnsTheReorderDepthWithoutVuiWhileHoldingTheFirstPictures() {
        List<Integer> emittedAt = new ArrayList<>();

        List<Times> times = tag(H264SpsTest.mainProfileWithoutVui(40, 30), IPBB_TWO_GOPS, even(11, INTERVAL),
                emittedAt);

        assertThat(offsets(times)).containsExactly(40L, 120L, 0L, 0L, 120L, 0L, 0L, 40L, 120L, 0L, 0L);
        assertThat(emittedAt.get(0)).as("held for " + PictureTimes.HOLD_MS + " ms of picture time").isEqualTo(8);
    }

    @Test
    void burstyStampsOfABFrameStreamAreRetimedEvenlyAndShownInOrder() {
        long[] stamps = RecorderStamps.bursty(IPBB_DISPLAY, T0, INTERVAL, 1, 0);

        List<Times> times = tag(H264SpsTest.mainProfileWithoutVui(40, 30), IPBB_TWO_GOPS, stamps, new ArrayList<>());

        assertThat(times).extracting(Times::dts).containsExactly(0L, 40L, 80L, 120L, 160L, 200L, 240L, 280L, 320L,
                360L, 400L);
        assertThat(times.stream().map(Times::pts).sorted().toList()).containsExactly(40L, 80L, 120L, 160L, 200L, 240L,
                280L, 320L, 360L, 400L, 440L);
    }

    @Test
    void aStreamWhoseVuiRulesOutReorderingKeepsTheRecordersTimesAtOnce() {
        long[] stamps = {T0, T0 + 41, T0 + 79, T0 + 120, T0 + 161, T0 + 200, T0 + 238, T0 + 280, T0 + 321, T0 + 360};
        List<Integer> emittedAt = new ArrayList<>();

        List<Times> times = tag(mainSpsWithReorderFrames(0), IPPP, stamps, emittedAt);

        assertThat(times).extracting(Times::dts).containsExactly(0L, 41L, 79L, 120L, 161L, 200L, 238L, 280L, 321L,
                360L);
        assertThat(offsets(times)).containsOnly(0L);
        assertThat(emittedAt).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void aStreamThatMightReorderButDoesNotIsHeldBrieflyThenKeepsTheRecordersTimes() {
        long[] stamps = even(10, INTERVAL);
        stamps[3] += 3;
        List<Integer> emittedAt = new ArrayList<>();

        List<Times> times = tag(H264SpsTest.mainProfileWithoutVui(40, 30), IPPP, stamps, emittedAt);

        assertThat(times).extracting(Times::dts).containsExactly(0L, 40L, 80L, 123L, 160L, 200L, 240L, 280L, 320L,
                360L);
        assertThat(offsets(times)).containsOnly(0L);
        assertThat(emittedAt.subList(0, 9)).as("released once " + PictureTimes.HOLD_MS + " ms of pictures showed no "
                + "reordering").containsOnly(8);
    }

    @Test
    void bFramesShowingUpAfterTheHoldAreRetimedFromTheNextIdrOn() {
        int[][] ipbb = Arrays.copyOfRange(IPBB_TWO_GOPS, 0, 7);
        int[][] pictures = new int[IPPP.length + 2 * ipbb.length][];
        System.arraycopy(IPPP, 0, pictures, 0, IPPP.length);
        System.arraycopy(ipbb, 0, pictures, IPPP.length, ipbb.length);
        System.arraycopy(ipbb, 0, pictures, IPPP.length + ipbb.length, ipbb.length);
        int[] display = new int[pictures.length];
        int[] ipbbDisplay = {0, 3, 1, 2, 6, 4, 5};
        for (int i = 0; i < pictures.length; i++) {
            display[i] = i < IPPP.length ? i : IPPP.length + (i - IPPP.length) / 7 * 7 + ipbbDisplay[(i - IPPP.length) % 7];
        }
        long[] stamps = RecorderStamps.bursty(display, T0, INTERVAL, 1, 0);

        List<Times> times = tag(H264SpsTest.mainProfileWithoutVui(40, 30), pictures, stamps, new ArrayList<>());

        List<Times> third = times.subList(IPPP.length + 7, times.size());
        assertThat(third).extracting(Times::dts).containsExactly(680L, 720L, 760L, 800L, 840L, 880L, 920L);
        assertThat(third.stream().map(Times::pts).sorted().toList()).containsExactly(720L, 760L, 800L, 840L, 880L,
                920L, 960L);
    }

    @Test
    void withoutASignalledRateTheIntervalIsTheKeyFrameToKeyFrameSpanPerPicture() {
        // 30 fps: a frame every 33.3 ms, bunched per mini-GOP
        long[] stamps = RecorderStamps.bursty(IPBB_DISPLAY, T0, 1000 / 30.0, 1, 0);

        List<Times> times = tag(H264SpsTest.mainProfileWithoutVui(40, 30), IPBB_TWO_GOPS, stamps, new ArrayList<>());

        List<Long> pts = times.stream().map(Times::pts).sorted().toList();
        for (int i = 1; i < pts.size(); i++) {
            assertThat(pts.get(i) - pts.get(i - 1)).as("presentation step %d of %s", i, pts).isBetween(33L, 34L);
        }
    }

    /** x264 clips with 1 and 2 B-frames and a pyramid, stamped as a recorder does, 1 loop each (4 s). */
    @Test
    void recordedShapedBFrameClipsGetEvenPresentationStepsFromBurstyStamps() {
        for (TestClips.Clip clip : List.of(TestClips.ONE_BFRAME, TestClips.TWO_BFRAMES, TestClips.PYRAMID)) {
            Run run = run(clip, 1, 0);

            System.out.printf("figures: %s bursty input: decode-time steps %d..%d ms -> presentation steps %d..%d ms%n",
                    clip.name(), run.inputSteps.getMin(), run.inputSteps.getMax(), run.ptsSteps.getMin(),
                    run.ptsSteps.getMax());
            assertThat(run.inputSteps.getMax() - run.inputSteps.getMin()).as(clip.name() + ": the input is bursty")
                    .isGreaterThan(50);
            assertThat(run.ptsSteps.getMin()).as(clip.name()).isGreaterThanOrEqualTo(40 - STEP_TOLERANCE_MS);
            assertThat(run.ptsSteps.getMax()).as(clip.name()).isLessThanOrEqualTo(40 + STEP_TOLERANCE_MS);
            assertThat(run.ptsBelowDts).as(clip.name() + ": pictures shown before they are decoded").isZero();
            assertThat(run.dtsNotIncreasing).as(clip.name() + ": decode times not strictly increasing").isZero();
        }
    }

    /** Ten minutes of 2 B-frames from a recorder whose clock runs 200 ppm fast: the latency does not drift. */
    @Test
    void overTenMinutesTheTimelineStaysWithinAGopOfTheRecordersClock() {
        int loops = 150; // 4 s each
        Run run = run(TestClips.TWO_BFRAMES, loops, 200);

        System.out.printf("figures: 10 min of bursty 2-B-frame input, recorder clock +200 ppm: timeline - recorder "
                + "clock %d..%d ms, presentation steps %d..%d ms%n", run.offsetFromRecorder.getMin(),
                run.offsetFromRecorder.getMax(), run.ptsSteps.getMin(), run.ptsSteps.getMax());
        assertThat(run.pictures).isEqualTo(100 * loops);
        assertThat(run.offsetFromRecorder.getMax() - run.offsetFromRecorder.getMin()).isLessThanOrEqualTo(GOP_MS);
        assertThat(run.ptsSteps.getMin()).isGreaterThanOrEqualTo(40 - STEP_TOLERANCE_MS);
        assertThat(run.ptsSteps.getMax()).isLessThanOrEqualTo(40 + STEP_TOLERANCE_MS);
        assertThat(run.ptsBelowDts + run.dtsNotIncreasing).isZero();
    }

    @Test
    void aRecorderClockStepEitherWayWithinABFrameStreamLeavesThePresentationStepsEven() {
        TestClips.Clip clip = TestClips.TWO_BFRAMES;
        List<byte[]> units = AccessUnits.split(TestClips.bytes(clip), VideoCodec.H264);
        long[] stamps = RecorderStamps.bursty(TestClips.displayOrder(clip), T0, INTERVAL, 3, 0);
        for (int i = 0; i < stamps.length; i++) {
            stamps[i] += i >= 130 ? 30_000 - 45_000 : i >= 75 ? 30_000 : 0; // NTP steps +30 s, then -45 s, mid-GOP
        }
        AvcTagger tagger = new AvcTagger();
        List<Long> pts = new ArrayList<>();
        for (int i = 0; i < stamps.length; i++) {
            for (FlvTag tag : tagger.tag(units.get(i % units.size()), stamps[i])) {
                if (!tag.sequenceHeader()) {
                    pts.add(tag.timestamp() + compositionTime(tag));
                }
            }
        }

        assertThat(tagger.timeline().discontinuities()).isEqualTo(2);
        pts.sort(null);
        for (int i = 1; i < pts.size(); i++) {
            assertThat(pts.get(i) - pts.get(i - 1)).as("presentation step %d", i)
                    .isBetween(40 - STEP_TOLERANCE_MS, 40 + STEP_TOLERANCE_MS);
        }
    }

    /** What tagging {@code loops} loops of {@code clip}, stamped as a recorder does, came to. */
    private static final class Run {
        final LongSummaryStatistics inputSteps = new LongSummaryStatistics();
        final LongSummaryStatistics ptsSteps = new LongSummaryStatistics();
        final LongSummaryStatistics offsetFromRecorder = new LongSummaryStatistics();
        int pictures;
        int ptsBelowDts;
        int dtsNotIncreasing;
    }

    private static Run run(TestClips.Clip clip, int loops, double driftPpm) {
        List<byte[]> units = AccessUnits.split(TestClips.bytes(clip), VideoCodec.H264);
        int[] display = TestClips.displayOrder(clip);
        assertThat(display).hasSize(units.size());
        long[] stamps = RecorderStamps.bursty(display, T0, 1000.0 / clip.fps(), loops, driftPpm);
        AvcTagger tagger = new AvcTagger();
        Run run = new Run();
        List<Long> pts = new ArrayList<>();
        long lastDts = Long.MIN_VALUE;
        for (int i = 0; i < stamps.length; i++) {
            if (i > 0) {
                run.inputSteps.accept(stamps[i] - stamps[i - 1]);
            }
            boolean emitted = false;
            for (FlvTag tag : tagger.tag(units.get(i % units.size()), stamps[i])) {
                if (tag.sequenceHeader()) {
                    continue;
                }
                long dts = tag.timestamp();
                run.pictures++;
                run.ptsBelowDts += compositionTime(tag) < 0 ? 1 : 0;
                run.dtsNotIncreasing += dts <= lastDts ? 1 : 0;
                lastDts = dts;
                pts.add(dts + compositionTime(tag));
                emitted = true;
            }
            if (emitted) {
                // the last picture tagged is the one just stamped: how far the timeline is from the recorder's clock
                run.offsetFromRecorder.accept(lastDts - (stamps[i] - T0));
            }
        }
        long[] sorted = pts.stream().mapToLong(Long::longValue).sorted().toArray();
        for (int i = 1; i < sorted.length; i++) {
            run.ptsSteps.accept(sorted[i] - sorted[i - 1]);
        }
        assertThat(Arrays.stream(sorted).distinct().count()).as("distinct presentation times").isEqualTo(sorted.length);
        return run;
    }
}
