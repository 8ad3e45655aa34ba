package io.camrelay.exports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A span of time a camera has recordings for, on the recorder's clock ({@code GET /api/cameras/{id}/sequences}).
 *
 * @param start where it begins
 * @param end   where it ends
 */
public record RecordedSpan(Instant start, Instant end) {

    /** Sequences this close are one span: recorders list a continuous recording in pieces (docs/simulator.md). */
    static final Duration TOUCHING = Duration.ofSeconds(1);

    public RecordedSpan {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("span ends at " + end + " before it starts at " + start);
        }
    }

    /**
     * {@code spans} merged: sorted by start, overlapping ones and ones less than {@link #TOUCHING} apart joined, and
     * cut to [{@code from}, {@code to}] (a recorder returns whole sequences that overlap the window).
     */
    public static List<RecordedSpan> merge(List<RecordedSpan> spans, Instant from, Instant to) {
        List<RecordedSpan> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparing(RecordedSpan::start));
        List<RecordedSpan> out = new ArrayList<>();
        Instant start = null;
        Instant end = null;
        for (RecordedSpan s : sorted) {
            if (start != null && !s.start().isAfter(end.plus(TOUCHING))) {
                end = s.end().isAfter(end) ? s.end() : end;
                continue;
            }
            if (start != null) {
                add(out, start, end, from, to);
            }
            start = s.start();
            end = s.end();
        }
        if (start != null) {
            add(out, start, end, from, to);
        }
        return out;
    }

    private static void add(List<RecordedSpan> out, Instant start, Instant end, Instant from, Instant to) {
        Instant s = start.isBefore(from) ? from : start;
        Instant e = end.isAfter(to) ? to : end;
        if (e.isAfter(s)) {
            out.add(new RecordedSpan(s, e));
        }
    }
}
