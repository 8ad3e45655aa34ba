package io.camrelay.rtmp.client;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * An event loop whose time moves only when a test says so: Netty's embedded loop with its clock frozen, and a
 * matching nano clock for the code under test. Everything runs on the test's thread.
 */
final class ManualLoop {

    /** Far from 0, as System.nanoTime() is, so "never" (0) is not a recent time. */
    private static final long START_NANOS = TimeUnit.DAYS.toNanos(1);

    private final EmbeddedChannel host = new EmbeddedChannel();
    private long nanos = START_NANOS;

    ManualLoop() {
        host.freezeTime();
    }

    EventLoop loop() {
        return host.eventLoop();
    }

    LongSupplier clock() {
        return () -> nanos;
    }

    /** Milliseconds since the loop was made. */
    long millis() {
        return TimeUnit.NANOSECONDS.toMillis(nanos - START_NANOS);
    }

    /** Runs what is due now, and what that queues. */
    void run() {
        while (host.hasPendingTasks()) {
            host.runPendingTasks();
        }
    }

    /** Moves time on by {@code ms}, running each scheduled task at its own time. */
    void advance(long ms) {
        long target = nanos + TimeUnit.MILLISECONDS.toNanos(ms);
        run();
        for (long next = host.runScheduledPendingTasks(); next >= 0 && nanos + next <= target;
                next = host.runScheduledPendingTasks()) {
            step(next);
            run();
        }
        step(target - nanos);
        run();
    }

    private void step(long delta) {
        nanos += delta;
        host.advanceTimeBy(delta, TimeUnit.NANOSECONDS);
    }

    void close() {
        host.finishAndReleaseAll();
    }
}
