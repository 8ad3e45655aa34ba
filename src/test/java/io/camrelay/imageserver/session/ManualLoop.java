package io.camrelay.imageserver.session;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A session's event loop and blocking executor run by the test on its own thread: the loop's time is frozen and moves
 * only with {@link #advance}, together with the session's nano clock.
 */
final class ManualLoop implements AutoCloseable {

    private final EmbeddedChannel host = new EmbeddedChannel();
    private final Queue<Runnable> blockingTasks = new ArrayDeque<>();
    private long nanos = 1_000_000_000L;

    ManualLoop() {
        host.freezeTime();
    }

    EventLoop loop() {
        return host.eventLoop();
    }

    /** The VMS executor: its tasks wait for {@link #runAll} or {@link #runBlocking}. */
    Executor blocking() {
        return blockingTasks::add;
    }

    LongSupplier clock() {
        return () -> nanos;
    }

    /** Runs what is queued on the event loop only (the blocking tasks keep waiting). */
    void runLoop() {
        host.runPendingTasks();
    }

    /** Runs what is queued on the blocking executor only. */
    void runBlocking() {
        while (!blockingTasks.isEmpty()) {
            blockingTasks.poll().run();
        }
    }

    /** Runs blocking and event-loop tasks until none is left (scheduled ones wait for their time). */
    void runAll() {
        do {
            runBlocking();
            host.runPendingTasks();
        } while (!blockingTasks.isEmpty() || host.hasPendingTasks());
    }

    /** Moves time on by {@code millis}, then runs what became due. */
    void advance(long millis) {
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
        host.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        runAll();
    }

    @Override
    public void close() {
        host.finishAndReleaseAll();
    }
}
