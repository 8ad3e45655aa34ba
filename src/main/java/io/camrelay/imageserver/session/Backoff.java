package io.camrelay.imageserver.session;

import java.util.random.RandomGenerator;

/** Reconnect delays: exponential from the initial delay, capped, with jitter (architecture.md §7: 1 s … 60 s). */
final class Backoff {

    /** Doubling stops here; 2^30 times any delay is past every sensible cap. */
    private static final int MAX_SHIFT = 30;

    private Backoff() {
    }

    /**
     * The delay before attempt {@code failures + 1}: the step {@code min(max, initial * 2^failures)}, of which half is
     * fixed and half random ("equal jitter"), so sessions lost together do not reconnect together.
     */
    static long delayMs(long initialMs, long maxMs, int failures, RandomGenerator random) {
        int shift = Math.min(Math.max(failures, 0), MAX_SHIFT);
        long step = initialMs << shift;
        if (step <= 0 || step > maxMs) {
            step = maxMs;
        }
        return step / 2 + random.nextLong(step / 2 + 1);
    }
}
