package io.camrelay.schedule;

import io.camrelay.streams.ScheduleWindow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The open stretches of weekday windows on the wall clock of a time zone. A window starts and ends when the wall
 * clock shows its times, so across a daylight-saving change it is an hour shorter or longer in real time. A time the
 * change skips (02:30 on the spring day in Europe) is the moment the clock jumps past it; a time that happens twice
 * (02:30 on the autumn day) is its first occurrence.
 */
final class WindowIntervals implements IntervalSource {

    /** Days looked at from the day before {@code from}: every weekday window recurs within a week. */
    static final int HORIZON_DAYS = 9;
    private static final int MINUTES_PER_DAY = 24 * 60;

    private final List<ScheduleWindow> windows;
    private final ZoneId zone;

    WindowIntervals(List<ScheduleWindow> windows, ZoneId zone) {
        this.windows = List.copyOf(windows);
        this.zone = zone;
    }

    @Override
    public ScheduleInterval next(Instant from) {
        LocalDate first = from.atZone(zone).toLocalDate().minusDays(1);
        List<ScheduleInterval> all = new ArrayList<>();
        for (int i = 0; i <= HORIZON_DAYS; i++) {
            LocalDate day = first.plusDays(i);
            for (ScheduleWindow w : windows) {
                if (w.days().contains(day.getDayOfWeek())) {
                    Instant start = instantOf(day, w.startMinute());
                    Instant end = instantOf(w.endsNextDay() ? day.plusDays(1) : day, w.endMinute());
                    if (end.isAfter(start)) { // a window inside a skipped hour is empty that day
                        all.add(new ScheduleInterval(start, end));
                    }
                }
            }
        }
        all.sort(Comparator.comparing(ScheduleInterval::start));
        ScheduleInterval current = null;
        for (ScheduleInterval i : all) {
            if (current != null && !i.start().isAfter(current.end())) {
                current = new ScheduleInterval(current.start(), i.end().isAfter(current.end()) ? i.end()
                        : current.end());
                continue;
            }
            if (current != null && current.end().isAfter(from)) {
                return current;
            }
            current = i;
        }
        return current != null && current.end().isAfter(from) ? current : null;
    }

    /** When the wall clock of the zone shows {@code minute} (0 to 1440) of {@code day}. */
    Instant instantOf(LocalDate day, int minute) {
        LocalDateTime local = minute == MINUTES_PER_DAY ? day.plusDays(1).atStartOfDay()
                : day.atTime(LocalTime.of(minute / 60, minute % 60));
        ZoneOffsetTransition t = zone.getRules().getTransition(local);
        if (t != null && t.isGap()) {
            return t.getInstant();
        }
        // outside a change there is one offset; in an overlap atZone takes the earlier one, the first occurrence
        return local.atZone(zone).toInstant();
    }
}
