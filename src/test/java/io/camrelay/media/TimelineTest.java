package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimelineTest {

    private static final long T0 = 1_763_700_000_000L; // camera time, ms UTC

    @Test
    void startsAtZeroAndFollowsTheCameraClock() {
        Timeline t = new Timeline();
        assertThat(t.next(T0)).isZero();
        assertThat(t.next(T0 + 40)).isEqualTo(40);
        assertThat(t.next(T0 + 81)).isEqualTo(81);
        assertThat(t.next(T0 + 120)).isEqualTo(120);
        assertThat(t.discontinuities()).isZero();
    }

    @Test
    void aRepeatedTimeBecomesLastPlusOneWithoutShiftingLaterPictures() {
        Timeline t = new Timeline();
        t.next(T0);
        assertThat(t.next(T0 + 40)).isEqualTo(40);
        assertThat(t.next(T0 + 40)).isEqualTo(41);
        assertThat(t.next(T0 + 80)).isEqualTo(80);
        assertThat(t.discontinuities()).isZero();
    }

    @Test
    void aBackwardsJumpContinuesOneFrameLaterAndIsCounted() {
        Timeline t = new Timeline();
        t.setNominalFrameRate(25);
        t.next(T0);
        t.next(T0 + 40);
        assertThat(t.next(T0 - 3_600_000)).isEqualTo(80); // camera clock set back an hour
        assertThat(t.next(T0 - 3_600_000 + 40)).isEqualTo(120);
        assertThat(t.discontinuities()).isEqualTo(1);
    }

    @Test
    void aForwardJumpBeyondOneSecondContinuesOneFrameLater() {
        Timeline t = new Timeline();
        t.setNominalFrameRate(25);
        t.next(T0);
        assertThat(t.next(T0 + 1000)).isEqualTo(1000); // a 1 s gap (5 intervals = 200 ms < 1 s) is real
        assertThat(t.next(T0 + 1000 + 86_400_000)).isEqualTo(1040); // NTP step a day ahead
        assertThat(t.discontinuities()).isEqualTo(1);
    }

    @Test
    void aSlowCameraMayPauseUpToFiveFrameIntervals() {
        Timeline t = new Timeline();
        t.setNominalFrameRate(0.5); // one picture every 2 s
        t.next(T0);
        assertThat(t.next(T0 + 9_000)).isEqualTo(9_000);
        assertThat(t.next(T0 + 9_000 + 10_001)).isEqualTo(11_000);
        assertThat(t.discontinuities()).isEqualTo(1);
    }

    @Test
    void neverGoesBackwardsWhateverTheInput() {
        Timeline t = new Timeline();
        java.util.Random random = new java.util.Random(7);
        long last = -1;
        long camera = T0;
        for (int i = 0; i < 10_000; i++) {
            camera += random.nextInt(10) == 0 ? random.nextInt(200_000) - 100_000 : random.nextInt(80);
            long out = t.next(camera);
            assertThat(out).isGreaterThan(last);
            last = out;
        }
    }

    @Test
    void usesTheMeasuredIntervalWhenTheSpsHasNoFrameRate() {
        Timeline t = new Timeline();
        for (int i = 0; i < 100; i++) {
            t.next(T0 + 100L * i); // 10 fps
        }
        assertThat(t.frameIntervalMs()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(t.next(T0 - 5)).isEqualTo(9900 + 100);
    }

    @Test
    void aRecordingsTimelineKeepsAForwardGapAsItIsAndCountsItAsAGap() {
        Timeline t = Timeline.forRecording();
        t.setNominalFrameRate(25);
        t.next(T0);
        t.next(T0 + 40);
        assertThat(t.next(T0 + 40 + 60_000)).isEqualTo(60_040); // a minute not recorded
        assertThat(t.next(T0 + 40 + 86_400_000)).isEqualTo(86_400_040); // the camera was off for a day
        assertThat(t.next(T0 + 80 + 86_400_000)).isEqualTo(86_400_080);
        assertThat(t.gaps()).isEqualTo(2);
        assertThat(t.discontinuities()).isZero();
    }

    @Test
    void aRecordingsTimelineStillContinuesOneFrameLaterAfterABackwardStep() {
        Timeline t = Timeline.forRecording();
        t.setNominalFrameRate(25);
        t.next(T0);
        t.next(T0 + 40);
        assertThat(t.next(T0 - 3_600_000)).isEqualTo(80); // the recorder's clock was set back an hour
        assertThat(t.next(T0 - 3_600_000 + 40)).isEqualTo(120);
        assertThat(t.discontinuities()).isEqualTo(1);
        assertThat(t.gaps()).isZero();
    }

    @Test
    void aLiveTimelineNeverCountsGaps() {
        Timeline t = new Timeline();
        t.next(T0);
        t.next(T0 + 86_400_000);
        assertThat(t.gaps()).isZero();
        assertThat(t.discontinuities()).isEqualTo(1);
    }
}
