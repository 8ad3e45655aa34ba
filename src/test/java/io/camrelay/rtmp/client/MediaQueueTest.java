package io.camrelay.rtmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.FlvTag;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drop policy of docs/protocols.md A10, in media time. */
class MediaQueueTest {

    private final MediaQueue queue = new MediaQueue(700, 1000, 1_000_000);

    private static FlvTag key(long ts) {
        return FlvTag.video(ts, true, false, false, new byte[100]);
    }

    private static FlvTag inter(long ts, boolean disposable) {
        return FlvTag.video(ts, false, false, disposable, new byte[50]);
    }

    private static FlvTag audio(long ts) {
        return FlvTag.audio(ts, false, new byte[6]);
    }

    private List<FlvTag> drain() {
        List<FlvTag> out = new ArrayList<>();
        FlvTag t;
        while ((t = queue.poll()) != null) {
            out.add(t);
        }
        return out;
    }

    @Test
    void keepsEverythingWhileLessThanTheFirstLimitIsQueued() {
        queue.offer(key(0), true);
        for (int ts = 40; ts <= 680; ts += 40) {
            queue.offer(inter(ts, true), true);
        }

        assertThat(queue.dropped()).isZero();
        assertThat(queue.spanMillis()).isEqualTo(680);
    }

    @Test
    void dropsDisposableFramesPastSevenHundredMilliseconds() {
        queue.offer(key(0), true);
        queue.offer(inter(40, true), true);
        queue.offer(inter(80, false), true);

        queue.offer(inter(720, true), true);

        assertThat(drain()).extracting(FlvTag::timestamp).containsExactly(0L, 80L);
        assertThat(queue.dropped()).isEqualTo(2);
    }

    @Test
    void dropsVideoToTheNextKeyFramePastOneSecondButKeepsAudio() {
        queue.offer(key(0), true);
        queue.offer(audio(10), true);
        queue.offer(inter(40, false), true);

        queue.offer(inter(1040, false), true); // over 1 s: all video goes
        queue.offer(inter(1080, false), true); // still skipping to a key frame
        queue.offer(audio(1090), true);

        assertThat(drain()).extracting(FlvTag::timestamp).containsExactly(10L, 1090L);
        queue.offer(key(2000), true);
        queue.offer(inter(2040, false), true);
        assertThat(drain()).extracting(FlvTag::timestamp).containsExactly(2000L, 2040L);
        assertThat(queue.dropped()).isEqualTo(4);
    }

    @Test
    void aKeyFrameArrivingFarBehindReplacesTheStaleQueueSoTheStreamResumesLive() {
        queue.offer(key(0), true);
        for (int ts = 20; ts <= 1500; ts += 20) {
            queue.offer(audio(ts), true);
        }

        queue.offer(key(2000), true);

        assertThat(drain()).extracting(FlvTag::timestamp).containsExactly(2000L);
    }

    @Test
    void withoutASessionOnlyTheNewestPictureGroupWaits() {
        queue.offer(key(0), false);
        queue.offer(inter(40, false), false);
        queue.offer(key(80), false);

        assertThat(drain()).extracting(FlvTag::timestamp).containsExactly(80L);
    }

    @Test
    void byteCapDropsVideoWhateverTheTimestamps() {
        MediaQueue small = new MediaQueue(700, 1000, 200);
        small.offer(key(0), true);
        small.offer(inter(0, false), true);
        small.offer(inter(0, false), true);
        small.offer(inter(0, false), true);

        assertThat(small.bytes()).isLessThanOrEqualTo(200);
        assertThat(small.dropped()).isPositive();
    }

    @Test
    void aNewPublishStartsAtTheKeyFrameKeepingAudioStampedAfterIt() {
        queue.offer(audio(0), true);
        queue.offer(inter(10, false), true);
        queue.offer(audio(30), true);
        queue.offer(key(20), true);

        assertThat(queue.startAtKeyFrame()).isEqualTo(20);
        assertThat(drain()).extracting(FlvTag::timestamp).containsExactly(30L, 20L);
        assertThat(queue.dropped()).isEqualTo(2);
    }

    @Test
    void aKeyFrameWhileNotPublishingKeepsTheAudioOfItsOwnInstant() {
        queue.offer(audio(0), false);
        queue.offer(inter(10, false), false);
        queue.offer(audio(21), false);
        queue.offer(audio(40), false);
        queue.offer(key(40), false);

        assertThat(drain()).extracting(FlvTag::timestamp).containsExactly(40L, 40L);
        assertThat(queue.dropped()).isEqualTo(3);
    }

    @Test
    void noKeyFrameQueuedMeansNoStart() {
        queue.offer(audio(0), true);

        assertThat(queue.startAtKeyFrame()).isEqualTo(-1);
    }

    @Test
    void sequenceHeadersAreNeverDropped() {
        queue.offer(key(0), true);
        queue.offer(FlvTag.video(500, true, true, false, new byte[10]), true);
        queue.offer(inter(1500, false), true);

        assertThat(drain()).extracting(FlvTag::sequenceHeader).containsExactly(true);
    }
}
