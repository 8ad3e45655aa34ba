package io.camrelay.rtmp.client;

import io.netty.channel.EventLoop;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands work to an event loop in the order it was handed over, running it at once when the caller is on that loop
 * and nothing handed over from another thread is still waiting there. A stream's pictures reach its publisher on the
 * publisher's own loop (run at once, no task), its hold pictures from the hold timer's thread (a task): a picture run
 * at once while a hold picture's task waited went out before it, and the wire's timestamps went backwards
 * (BroadcastContinuityIT saw a hold picture and its audio 50 ms behind the resumed camera's first picture).
 */
final class InOrderHandOff {

    private final EventLoop loop;
    /** Tasks handed over from other threads that have not started yet. */
    private final AtomicInteger waiting = new AtomicInteger();

    InOrderHandOff(EventLoop loop) {
        this.loop = loop;
    }

    /** Runs {@code work} on the loop after everything handed over before it. */
    void run(Runnable work) {
        if (loop.inEventLoop() && waiting.get() == 0) {
            work.run();
            return;
        }
        waiting.incrementAndGet();
        loop.execute(() -> {
            waiting.decrementAndGet();
            work.run();
        });
    }
}
