package io.camrelay.schedule;

import java.time.Duration;

/** Calls back at a schedule's next edge; one pending call per stream ({@link QuartzEdgeTimer} in the application). */
public interface EdgeTimer {

    /** Runs {@code fire} after {@code delay}, replacing the stream's pending call. */
    void arm(String streamId, Duration delay, Runnable fire);

    /** Drops the stream's pending call, if any. */
    void cancel(String streamId);
}
