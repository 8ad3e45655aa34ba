package io.camrelay.schedule;

import io.camrelay.streams.GeoLocation;
import io.camrelay.streams.ScheduleSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A schedule's arithmetic, pure: whether it is open at an instant, when that changes, when it next opens, and what
 * to tell the operator (a polar day or night at the place). With windows and daylight the schedule is open when both
 * are.
 */
final class ScheduleCalendar {

    /** How far ahead a next start is looked for: past any polar night, and every weekday of a year. */
    static final Duration LOOK_AHEAD = Duration.ofDays(370);
    /** Beyond a day without sunrise (or sunset) the place is in its polar night (or day). */
    private static final Duration POLAR = Duration.ofHours(24);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm z", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);
    private static final int MAX_STEPS = 1000;

    private final ScheduleSettings settings;
    private final List<IntervalSource> sources = new ArrayList<>();
    private final DaylightIntervals daylight;

    /**
     * @param location where daylight is computed (the schedule's or the camera's); ignored without daylight
     */
    ScheduleCalendar(ScheduleSettings settings, GeoLocation location) {
        this.settings = settings;
        if (!settings.windows().isEmpty()) {
            sources.add(new WindowIntervals(settings.windows(), settings.timezone()));
        }
        daylight = settings.daylight() ? new DaylightIntervals(location, settings.daylightMargin()) : null;
        if (daylight != null) {
            sources.add(daylight);
        }
    }

    /**
     * What the schedule says at {@code now}.
     *
     * @param open       whether the stream may run
     * @param nextChange when that changes (null: not within {@link #LOOK_AHEAD})
     * @param nextStart  when closed, when it opens (null: not within {@link #LOOK_AHEAD})
     * @param note       when closed, why and until when; when open, a polar day; else null
     */
    record Outlook(boolean open, Instant nextChange, Instant nextStart, String note) {
    }

    Outlook at(Instant now) {
        ScheduleInterval next = next(now);
        DaylightIntervals.Sun sun = daylight == null ? null : daylight.sunAt(now);
        if (next != null && next.contains(now)) {
            return new Outlook(true, next.end(), null, polarDay(now, sun));
        }
        Instant start = next == null ? null : next.start();
        String night = polarNight(now, sun);
        String why = night != null ? night : "outside its schedule (" + describe() + ")";
        String when = start == null ? "it does not start within a year" : "it starts " + format(start);
        return new Outlook(false, start, start, why + "; " + when);
    }

    /**
     * The first stretch in which every source is open that ends after {@code from}, or null; one that contains
     * {@code from} is given from {@code from} on.
     */
    ScheduleInterval next(Instant from) {
        Instant limit = from.plus(LOOK_AHEAD);
        Instant t = from;
        for (int step = 0; step < MAX_STEPS && t.isBefore(limit); step++) {
            Instant start = t;
            Instant end = null;
            for (IntervalSource source : sources) {
                ScheduleInterval i = source.next(t);
                if (i == null) {
                    return null;
                }
                start = i.start().isAfter(start) ? i.start() : start;
                end = end == null || i.end().isBefore(end) ? i.end() : end;
            }
            if (start.isBefore(end)) {
                return new ScheduleInterval(start, end);
            }
            // no overlap: nothing opens before the latest start among the sources
            t = start;
        }
        return null;
    }

    private String describe() {
        List<String> parts = new ArrayList<>();
        if (!settings.windows().isEmpty()) {
            parts.add(settings.windowsText() + ", " + settings.timezone().getId());
        }
        if (daylight != null) {
            parts.add("daylight at " + daylight.location() + " from " + Math.round(settings.daylightMargin()
                    .toSeconds() / 60.0) + " min before sunrise to as long after sunset");
        }
        return String.join("; ", parts);
    }

    /** A polar day at the place, said in the status of the stream it keeps up; null otherwise. */
    private String polarDay(Instant now, DaylightIntervals.Sun sun) {
        if (sun == null || !sun.up() || (sun.nextSet() != null && !sun.nextSet().isAfter(now.plus(POLAR)))) {
            return null;
        }
        return "polar day at " + daylight.location() + ": the sun does not set " + until(sun.nextSet())
                + "; the daylight schedule keeps the stream up around the clock";
    }

    /** A polar night at the place, said in the status of the stream it keeps off; null otherwise. */
    private String polarNight(Instant now, DaylightIntervals.Sun sun) {
        if (sun == null || sun.up() || (sun.nextRise() != null && !sun.nextRise().isAfter(now.plus(POLAR)))) {
            return null;
        }
        return "polar night at " + daylight.location() + ": the sun does not rise " + until(sun.nextRise());
    }

    private String until(Instant t) {
        return t == null ? "within a year" : "until " + DAY.format(t.atZone(zone()));
    }

    private String format(Instant t) {
        return WHEN.format(t.atZone(zone()));
    }

    private ZoneId zone() {
        return settings.timezone();
    }
}
