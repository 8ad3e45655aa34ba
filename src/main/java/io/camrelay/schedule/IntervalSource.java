package io.camrelay.schedule;

import java.time.Instant;

/** Where a schedule's open stretches come from: its windows, or daylight. */
interface IntervalSource {

    /**
     * The first open stretch that ends after {@code from} (it contains {@code from} or starts after it), joined with
     * the stretches it touches; or null when there is none within the source's horizon. A stretch that goes on past
     * the horizon ends there: the gate re-checks then and finds it still open.
     */
    ScheduleInterval next(Instant from);
}
