package io.camrelay.simulator;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * When a simulated recorder receives — and so stamps and pushes — each picture of a camera playing its clip in a
 * loop, as an offset from the moment the camera started (reference §1.7). Without B-frames, or with bursty stamps
 * off, picture n (decode order) arrives n frame intervals after the start. With B-frames a camera sends a mini-GOP
 * together: the I/P picture once the last picture it is displayed after was captured, its B-frames right behind it
 * ({@value #BURST_STEP_MS} ms apart); so each picture arrives when the picture with the highest display position so
 * far was captured, plus one step per picture since that one. Immutable; shared by the sessions of one camera.
 */
final class PictureSchedule {

    /** "An I/P and the B-frames that follow it carry times a millisecond or so apart" (reference §1.7). */
    static final long BURST_STEP_MS = 1;

    private final long[] offsetNanos;
    private final boolean[] keyFrame;
    private final long loopNanos;
    private final long intervalNanos;

    private PictureSchedule(long[] offsetNanos, boolean[] keyFrame, long loopNanos, long intervalNanos) {
        this.offsetNanos = offsetNanos;
        this.keyFrame = keyFrame;
        this.loopNanos = loopNanos;
        this.intervalNanos = intervalNanos;
    }

    /** The schedule of {@code clip} played at {@code fps}, its B-frame pictures bunched up when {@code bursty}. */
    static PictureSchedule of(ClipFrames.Loaded clip, int fps, boolean bursty) {
        List<ClipFrames.Frame> frames = clip.frames();
        int n = frames.size();
        long interval = TimeUnit.SECONDS.toNanos(1) / fps;
        long[] offsets = new long[n];
        boolean[] keys = new boolean[n];
        int[] display = clip.displayOrder();
        int highest = -1;
        int sinceHighest = 0;
        for (int i = 0; i < n; i++) {
            keys[i] = frames.get(i).keyFrame();
            if (!bursty) {
                offsets[i] = i * interval;
                continue;
            }
            if (display[i] > highest) {
                highest = display[i];
                sinceHighest = 0;
            } else {
                sinceHighest++;
            }
            offsets[i] = highest * interval + sinceHighest * TimeUnit.MILLISECONDS.toNanos(BURST_STEP_MS);
        }
        return new PictureSchedule(offsets, keys, n * interval, interval);
    }

    /** Pictures in one loop of the clip. */
    int size() {
        return offsetNanos.length;
    }

    /** The frame interval. */
    /** Pictures per second, rounded. */
    int fps() {
        return (int) Math.round(1e9 / intervalNanos);
    }

    long intervalNanos() {
        return intervalNanos;
    }

    /** When picture {@code n} (decode order, counted over the loops) arrives, after the camera's start. */
    long offsetNanos(long n) {
        return (n / size()) * loopNanos + offsetNanos[(int) (n % size())];
    }

    boolean keyFrame(long n) {
        return keyFrame[(int) (n % size())];
    }

    /**
     * The picture a recorder's pre-buffered GOP starts with {@code elapsedNanos} after the camera started (reference
     * §1.3): the latest key frame at or before the last picture that has arrived by then.
     */
    long preBufferStart(long elapsedNanos) {
        long loop = elapsedNanos / loopNanos;
        long within = elapsedNanos % loopNanos;
        int key = 0;
        for (int i = 0; i < size() && offsetNanos[i] <= within; i++) {
            if (keyFrame[i]) {
                key = i;
            }
        }
        return loop * size() + key;
    }
}
