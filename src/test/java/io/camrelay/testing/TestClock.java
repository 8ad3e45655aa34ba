package io.camrelay.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * A clock a test drives, in UTC: {@link #at} stands still until the test {@link #set}s or {@link #advance}s it;
 * {@link #runningFrom} runs at the real rate from wherever the test last set it (an application on a test clock);
 * {@link #following} reads what the test computes (e.g. from its own nanosecond counter).
 */
public final class TestClock extends Clock {

    private final Supplier<Instant> source;
    private final boolean running;
    private volatile Instant setTo;
    private volatile long setAtNanos;

    private TestClock(Instant start, boolean running, Supplier<Instant> source) {
        this.setTo = start;
        this.setAtNanos = System.nanoTime();
        this.running = running;
        this.source = source;
    }

    /** A clock standing at {@code start} until the test moves it. */
    public static TestClock at(Instant start) {
        return new TestClock(start, false, null);
    }

    /** A clock standing at {@code start}, an ISO-8601 instant ("2026-11-21T10:00:00Z"). */
    public static TestClock at(String start) {
        return at(Instant.parse(start));
    }

    /** A clock at {@code start} that runs at the real rate; {@link #set} moves it, and it runs on from there. */
    public static TestClock runningFrom(Instant start) {
        return new TestClock(start, true, null);
    }

    /** A clock that reads {@code source} on every call. */
    public static TestClock following(Supplier<Instant> source) {
        return new TestClock(null, false, source);
    }

    /** Moves the clock to {@code t} (a running clock runs on from there). */
    public void set(Instant t) {
        setAtNanos = System.nanoTime();
        setTo = t;
    }

    /** Moves the clock by {@code d}. */
    public void advance(Duration d) {
        set(instant().plus(d));
    }

    @Override
    public Instant instant() {
        if (source != null) {
            return source.get();
        }
        return running ? setTo.plusNanos(System.nanoTime() - setAtNanos) : setTo;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
