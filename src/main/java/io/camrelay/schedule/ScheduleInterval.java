package io.camrelay.schedule;

import java.time.Instant;
import java.util.Objects;

/** A stretch of time [{@code start}, {@code end}) in which a schedule lets its stream run. */
record ScheduleInterval(Instant start, Instant end) {
    ScheduleInterval {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("an interval ends after it starts: " + start + " to " + end);
        }
    }

    boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }
}
