package io.camrelay.rtmp.client;

import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: initial, doubling to the cap, each scaled by a jitter factor in [0.8, 1.2] so that many
 * destinations do not retry in step (architecture.md §7, reference A10). A refusal by the server waits at least
 * the rejection delay, since retrying a refused key at once only earns more refusals.
 */
final class Backoff {

    /** Jitter spread: the delay is scaled by 1 ± this. */
    static final double JITTER = 0.2;

    private final long initialMillis;
    private final long maxMillis;
    private final long rejectionMillis;
    private final DoubleSupplier random;
    private int attempt;

    Backoff(long initialMillis, long maxMillis, long rejectionMillis, DoubleSupplier random) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.rejectionMillis = rejectionMillis;
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the following one up to the cap. */
    long nextDelayMillis(boolean rejected) {
        long base = initialMillis << Math.min(attempt, 30);
        attempt++;
        base = Math.min(base, maxMillis);
        if (rejected) {
            base = Math.max(base, Math.min(rejectionMillis, maxMillis));
        }
        long jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random.getAsDouble()));
        return Math.max(1, Math.min(jittered, maxMillis));
    }

    /** After a healthy period the next delay is the initial one again. */
    void reset() {
        attempt = 0;
    }
}
