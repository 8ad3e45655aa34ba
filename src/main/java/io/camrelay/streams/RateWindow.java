package io.camrelay.streams;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Frames and bytes per second over the last {@link #SECONDS} complete seconds, fed per frame without locks: one bucket
 * per second in a ring, a bucket is reset by the first frame of its new second (compare-and-set on its second). The
 * first second of frames is never counted (it is partial), nor is the first {@link #SESSION_SETTLE_MS} of a source
 * session ({@link #restart}): a recorder starts each live session with its buffered GOP, up to a key-frame interval of
 * pictures at once, which counted as received showed ~35 fps for a 25 fps camera for the first five seconds.
 */
final class RateWindow {

    /** Seconds averaged: long enough to smooth a 2 s GOP, short enough to show a stall quickly. */
    static final int SECONDS = 5;
    /** How long after a session's first picture frames are not counted: the recorder's burst arrives within it. */
    static final long SESSION_SETTLE_MS = 1_000;
    private static final int BUCKETS = SECONDS + 2;

    private final AtomicLongArray bucketSecond = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray frames = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray bytes = new AtomicLongArray(BUCKETS);
    private final AtomicLong firstSecond = new AtomicLong(Long.MIN_VALUE);
    private volatile long countFromMs = Long.MIN_VALUE;

    RateWindow() {
        for (int i = 0; i < BUCKETS; i++) {
            bucketSecond.set(i, Long.MIN_VALUE);
        }
    }

    /**
     * A source session starts streaming at monotonic time {@code nowMs}: what was counted is dropped, and frames are
     * counted again from {@link #SESSION_SETTLE_MS} later.
     */
    void restart(long nowMs) {
        countFromMs = nowMs + SESSION_SETTLE_MS;
        firstSecond.set(Long.MIN_VALUE);
        for (int i = 0; i < BUCKETS; i++) {
            bucketSecond.set(i, Long.MIN_VALUE);
        }
    }

    /** Counts one frame of {@code size} bytes received at monotonic time {@code nowMs}. */
    void add(long nowMs, long size) {
        if (nowMs < countFromMs) {
            return;
        }
        long second = Math.floorDiv(nowMs, 1000);
        firstSecond.compareAndSet(Long.MIN_VALUE, second);
        int i = (int) Math.floorMod(second, BUCKETS);
        long seen = bucketSecond.get(i);
        if (seen != second && bucketSecond.compareAndSet(i, seen, second)) {
            frames.set(i, 0);
            bytes.set(i, 0);
        }
        frames.incrementAndGet(i);
        bytes.addAndGet(i, size);
    }

    /** {frames per second, bytes per second} over the complete seconds before {@code nowMs}; null before any. */
    double[] rates(long nowMs) {
        long first = firstSecond.get();
        long current = Math.floorDiv(nowMs, 1000);
        if (first == Long.MIN_VALUE || current <= first + 1) {
            return null;
        }
        long from = Math.max(first + 1, current - SECONDS);
        long f = 0;
        long b = 0;
        for (long s = from; s < current; s++) {
            int i = (int) Math.floorMod(s, BUCKETS);
            if (bucketSecond.get(i) == s) {
                f += frames.get(i);
                b += bytes.get(i);
            }
        }
        double span = current - from;
        return new double[] {f / span, b / span};
    }
}
