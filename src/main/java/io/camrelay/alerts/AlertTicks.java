package io.camrelay.alerts;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread the alert episodes live on, and its timer: state changes are handed to it (never run on the
 * caller's thread, which may be a camera's event loop) and the next deadline is one delayed task. A seam: tests move
 * time by hand.
 */
interface AlertTicks extends AutoCloseable {

    /** Runs {@code task} on the alerts thread, soon; returns at once. */
    void run(Runnable task);

    /** Runs {@code task} on the alerts thread after {@code delay}, replacing the delayed task set before. */
    void runAfter(Duration delay, Runnable task);

    /** Runs {@code task} on the alerts thread every {@code period}, from one period on, until closed. */
    void every(Duration period, Runnable task);

    /** Drops the delayed task, if any. */
    void cancelDelayed();

    @Override
    void close();

    /** Ticks on a daemon thread named {@code name}. */
    static AlertTicks onThread(String name) {
        return new ThreadTicks(name);
    }

    /** The production ticks: one scheduled thread. */
    final class ThreadTicks implements AlertTicks {
        private static final Logger LOG = LoggerFactory.getLogger(AlertTicks.class);

        private final ScheduledThreadPoolExecutor executor;
        private ScheduledFuture<?> delayed;

        ThreadTicks(String name) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
        }

        @Override
        public void run(Runnable task) {
            executor.execute(guarded(task));
        }

        @Override
        public synchronized void runAfter(Duration delay, Runnable task) {
            cancelDelayed();
            delayed = executor.schedule(guarded(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        }

        @Override
        public void every(Duration period, Runnable task) {
            executor.scheduleWithFixedDelay(guarded(task), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void cancelDelayed() {
            if (delayed != null) {
                delayed.cancel(false);
                delayed = null;
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }

        private static Runnable guarded(Runnable task) {
            return () -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // the executor would swallow it silently
                    LOG.warn("an alert task failed: {}", e.toString());
                    LOG.debug("alert task failure", e);
                }
            };
        }
    }
}
