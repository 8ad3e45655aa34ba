package io.camrelay.testing;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * An event loop (and a blocking executor) whose time moves only when a test says so: Netty's embedded loop with its
 * clock frozen, and a matching nano clock for the code under test. Everything runs on the test's thread.
 */
public final class ManualLoop implements AutoCloseable {

    /** Far from 0, as System.nanoTime() is, so "never" (0) is not a recent time. */
    private static final long START_NANOS = TimeUnit.DAYS.toNanos(1);

    private final EmbeddedChannel host = new EmbeddedChannel();
    private final Queue<Runnable> blockingTasks = new ArrayDeque<>();
    private long nanos = START_NANOS;

    public ManualLoop() {
        host.freezeTime();
    }

    public EventLoop loop() {
        return host.eventLoop();
    }

    /** A blocking executor (DNS, the VMS): its tasks wait for {@link #run} or {@link #runBlocking}. */
    public Executor blocking() {
        return blockingTasks::add;
    }

    public LongSupplier clock() {
        return () -> nanos;
    }

    /** Milliseconds since the loop was made. */
    public long millis() {
        return TimeUnit.NANOSECONDS.toMillis(nanos - START_NANOS);
    }

    /** Runs what is queued on the event loop only (the blocking tasks keep waiting). */
    public void runLoop() {
        host.runPendingTasks();
    }

    /** Runs what is queued on the blocking executor only. */
    public void runBlocking() {
        while (!blockingTasks.isEmpty()) {
            blockingTasks.poll().run();
        }
    }

    /** Runs blocking and event-loop tasks that are due now, and what they queue, until none is left. */
    public void run() {
        do {
            runBlocking();
            host.runPendingTasks();
        } while (!blockingTasks.isEmpty() || host.hasPendingTasks());
    }

    /** Moves time on by {@code ms}, running each scheduled task at its own time. */
    public void advance(long ms) {
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

    @Override
    public void close() {
        host.finishAndReleaseAll();
    }
}
