package io.camrelay.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a simulated recorder holds of one camera (docs/simulator.md, "Recordings"): its clip laid over the time its
 * {@link RecordingLayout} gives, picture n stamped as live stamps it ({@link PictureSchedule}, bursty B-frame stamps
 * included), so the recording is what the camera played before and while it was live. Pictures are numbered from the
 * recording's start; the gaps hold none. The newest picture is the last one captured at least {@value #INGEST_DELAY_MS}
 * ms ago on the recorder's clock (reference §8.1: new footage reaches the database about 1 s after capture).
 * Immutable but for the time passing; an index computation, no pictures are held.
 */
final class SimulatedRecording {

    /** New footage reaches the database about a second after capture (reference §8.1). */
    static final long INGEST_DELAY_MS = 1000;
    /** The recorder lists a continuous recording as sequences of this length that touch (docs/simulator.md). */
    static final long SEQUENCE_MS = TimeUnit.MINUTES.toMillis(10);

    /** A span of recorded pictures, by recording index, {@code to} exclusive. */
    record Span(long from, long to) {
    }

    /** A recorded sequence as the listing gives it: ms UTC on the recorder's clock. */
    record Sequence(long beginMs, long endMs) {
    }

    private final PictureSchedule schedule;
    private final SimulatedCameraState camera;
    private final long startMs;
    private final boolean empty;
    /** Gaps by recording index, {@code from} and {@code to} at key frames, in order. */
    private final List<Span> gaps = new ArrayList<>();

    SimulatedRecording(PictureSchedule schedule, SimulatedCameraState camera, RecordingLayout layout) {
        this.schedule = schedule;
        this.camera = camera;
        this.empty = layout.empty();
        long loopMs = TimeUnit.NANOSECONDS.toMillis(schedule.offsetNanos(schedule.size()));
        long loops = (layout.recordedBefore().toMillis() + loopMs - 1) / loopMs;
        // whole loops before the camera's start, so that the recording runs on into what live plays
        this.startMs = camera.recordingOriginMs() - loops * loopMs;
        for (RecordingLayout.Gap gap : layout.gaps()) {
            long from = keyAtOrAfter(firstAtOrAfter(startMs + gap.after().toMillis()));
            long to = keyAtOrAfter(firstAtOrAfter(startMs + gap.after().plus(gap.length()).toMillis()));
            if (to > from) {
                gaps.add(new Span(from, to));
            }
        }
        gaps.sort((a, b) -> Long.compare(a.from(), b.from()));
    }

    /** The picture time of recording picture {@code n}, ms UTC on the recorder's clock. */
    long timeMs(long n) {
        return startMs + TimeUnit.NANOSECONDS.toMillis(schedule.offsetNanos(n));
    }

    /** Whether picture {@code n} is a key frame of the clip. */
    boolean keyFrame(long n) {
        return schedule.keyFrame(n);
    }

    /** The index of the clip's picture that recording picture {@code n} is. */
    int clipIndex(long n) {
        return (int) (n % schedule.size());
    }

    /** The newest recorded picture now, or −1 when nothing is recorded. */
    long newest() {
        if (empty) {
            return -1;
        }
        long now = camera.recorderTimeMs(System.nanoTime()) - INGEST_DELAY_MS;
        long n = lastAtOrBefore(now, Long.MAX_VALUE / 4);
        while (n >= 0 && gapOf(n) != null) {
            n = gapOf(n).from() - 1;
        }
        return n;
    }

    /**
     * The key frame of the GOP {@code goto} answers for {@code timeMs} (reference §8.1, docs/simulator.md): the GOP
     * holding the last recorded picture at or before it; into a gap, the last GOP before the gap; before the oldest
     * picture, the first GOP; after the newest, the newest GOP. −1 when nothing is recorded.
     */
    long gopAt(long timeMs) {
        long newest = newest();
        if (newest < 0) {
            return -1;
        }
        long n = lastAtOrBefore(timeMs, newest);
        Span gap = n < 0 ? null : gapOf(n);
        if (gap != null) {
            n = gap.from() - 1;
        }
        if (n < 0) {
            n = gap != null ? gap.to() : 0;
        }
        return keyAtOrBefore(n);
    }

    /** The end (exclusive) of the GOP starting at key frame {@code key}: the next key frame, a gap or the newest. */
    long gopEnd(long key, long newest) {
        long end = keyAtOrAfter(key + 1);
        for (Span gap : gaps) {
            if (gap.from() > key && gap.from() < end) {
                end = gap.from();
            }
        }
        return Math.min(end, newest + 1);
    }

    /** The key frame of the GOP after the one at {@code key}, across a gap; −1 when that one is the newest. */
    long nextGop(long key, long newest) {
        long end = gopEnd(key, newest);
        Span gap = gapOf(end);
        if (gap != null) {
            end = gap.to();
        }
        return end > newest ? -1 : end;
    }

    /** The key frame of the GOP before the one at {@code key}, across a gap; −1 when that one is the first. */
    long previousGop(long key) {
        long n = key - 1;
        Span gap = n < 0 ? null : gapOf(n);
        if (gap != null) {
            n = gap.from() - 1;
        }
        return n < 0 ? -1 : keyAtOrBefore(n);
    }

    /**
     * The recorded sequences overlapping [{@code fromMs}, {@code toMs}], whole, oldest first: each recorded span cut
     * into touching sequences of {@link #SEQUENCE_MS}, each ending one frame interval after its last picture.
     */
    List<Sequence> sequences(long fromMs, long toMs) {
        List<Sequence> out = new ArrayList<>();
        long newest = newest();
        if (newest < 0) {
            return out;
        }
        long intervalMs = TimeUnit.NANOSECONDS.toMillis(schedule.intervalNanos());
        long spanFrom = 0;
        List<Span> spans = new ArrayList<>();
        for (Span gap : gaps) {
            if (gap.from() > newest) {
                break;
            }
            spans.add(new Span(spanFrom, gap.from()));
            spanFrom = gap.to();
        }
        if (spanFrom <= newest) {
            spans.add(new Span(spanFrom, newest + 1));
        }
        for (Span span : spans) {
            long begin = timeMs(span.from());
            long end = timeMs(span.to() - 1) + intervalMs;
            for (long t = begin; t < end; t += SEQUENCE_MS) {
                long e = Math.min(end, t + SEQUENCE_MS);
                if (e >= fromMs && t <= toMs) {
                    out.add(new Sequence(t, e));
                }
            }
        }
        return out;
    }

    /**
     * How many recorded pictures an export of [{@code fromMs}, {@code toMs}) holds: from the key frame {@code goto}
     * starts at for {@code fromMs} (the first after the gap when {@code fromMs} lies in one) up to the last picture
     * before {@code toMs} (for tests to compare with).
     */
    long picturesBetween(long fromMs, long toMs) {
        long key = gopAt(fromMs);
        if (key < 0) {
            return 0;
        }
        long newest = newest();
        if (timeMs(gopEnd(key, newest) - 1) < fromMs && nextGop(key, newest) >= 0) {
            key = nextGop(key, newest); // from lies in a gap: the GOP before it is not part of the range
        }
        long last = lastAtOrBefore(toMs - 1, newest);
        long count = Math.max(0, last - key + 1);
        for (Span gap : gaps) {
            long a = Math.max(gap.from(), key);
            long b = Math.min(gap.to(), last + 1);
            count -= Math.max(0, b - a);
        }
        return count;
    }

    private Span gapOf(long n) {
        for (Span gap : gaps) {
            if (n >= gap.from() && n < gap.to()) {
                return gap;
            }
        }
        return null;
    }

    /** The largest picture index at most {@code limit} whose time is at or before {@code timeMs}, or −1. */
    private long lastAtOrBefore(long timeMs, long limit) {
        if (timeMs < timeMs(0)) {
            return -1;
        }
        long lo = 0;
        long hi = Math.max(0, limit);
        // picture times never decrease with the index (PictureSchedule): a binary search
        long intervalNanos = schedule.intervalNanos();
        long guess = TimeUnit.MILLISECONDS.toNanos(timeMs - startMs) / intervalNanos + 2;
        hi = Math.min(hi, Math.max(0, guess));
        while (hi < limit && timeMs(hi) <= timeMs) {
            hi = Math.min(limit, hi * 2 + 1);
        }
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (timeMs(mid) <= timeMs) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private long firstAtOrAfter(long timeMs) {
        return timeMs <= timeMs(0) ? 0 : lastAtOrBefore(timeMs - 1, Long.MAX_VALUE / 4) + 1;
    }

    private long keyAtOrBefore(long n) {
        long k = n;
        while (k > 0 && !schedule.keyFrame(k)) {
            k--;
        }
        return k;
    }

    private long keyAtOrAfter(long n) {
        long k = n;
        for (int i = 0; i <= schedule.size() && !schedule.keyFrame(k); i++) {
            k++;
        }
        return k;
    }
}
