package io.camrelay.support;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Retry delays shared by everything that reconnects (docs/design.md §7, docs/protocols.md A10): the initial delay doubling
 * to a cap, each scaled by a jitter factor in [0.8, 1.2] so that many sessions lost together do not retry in step.
 * A caller may ask for at least a given delay (a refused stream key, refused credentials). Not thread-safe: each
 * session owns one and uses it from its own thread or event loop.
 */
public final class Backoff {

    /** Jitter spread: each delay is scaled by 1 ± this. */
    public static final double JITTER = 0.2;
    /** Doubling stops here; 2^30 times any delay is past every sensible cap. */
    private static final int MAX_SHIFT = 30;

    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private int failures;

    /**
     * @param initialMillis the first delay
     * @param maxMillis     the cap
     * @param random        uniform values in [0, 1) for the jitter
     */
    public Backoff(long initialMillis, long maxMillis, DoubleSupplier random) {
        if (initialMillis < 1 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("back-off needs 1 <= initial <= max, got initial " + initialMillis
                    + " ms and max " + maxMillis + " ms");
        }
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    /** A back-off with random jitter. */
    public Backoff(long initialMillis, long maxMillis) {
        this(initialMillis, maxMillis, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The delay before the next attempt; each call doubles the following one, up to the cap. */
    public long nextDelayMillis() {
        return nextDelayMillis(0);
    }

    /** As {@link #nextDelayMillis()}, but at least {@code atLeastMillis} (itself capped) before the jitter. */
    public long nextDelayMillis(long atLeastMillis) {
        long base = initialMillis << Math.min(failures, MAX_SHIFT);
        failures++;
        base = Math.min(base, maxMillis);
        base = Math.max(base, Math.min(atLeastMillis, maxMillis));
        long jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random.getAsDouble()));
        return Math.max(1, Math.min(jittered, maxMillis));
    }

    /** After a success (or a healthy period) the next delay is the initial one again. */
    public void reset() {
        failures = 0;
    }

    /** Delays handed out since the last reset. */
    public int failures() {
        return failures;
    }
}
