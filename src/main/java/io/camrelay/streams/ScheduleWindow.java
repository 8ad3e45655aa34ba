package io.camrelay.streams;

import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of a schedule's {@code windows} (docs/design.md §5): on these weekdays from {@code start} to {@code end}, wall
 * clock in the schedule's time zone, e.g. {@code Mon-Fri 07:00-19:00}. An end at or before the start ends on the next
 * day ({@code Fri 22:00-02:00}); {@code 24:00} is the end of the day. The weekdays are those the window starts on.
 *
 * @param text        the window as written, for messages
 * @param days        the weekdays it starts on
 * @param startMinute minutes after midnight it starts, 0 to 1439
 * @param endMinute   minutes after midnight it ends, 0 to 1440 (before or equal to the start: the next day)
 */
public record ScheduleWindow(String text, Set<DayOfWeek> days, int startMinute, int endMinute) {

    /** What a window looks like, for error messages. */
    public static final String EXPECTED = "weekdays and times such as \"Mon-Fri 07:00-19:00\", \"Sat,Sun 09:00-13:00\","
            + " \"daily 06:00-22:00\" or \"22:00-02:00\" (every day)";
    private static final int DAY = 24 * 60;
    private static final Pattern WINDOW = Pattern.compile("(?i)^\\s*(?:([a-z,\\s-]+?)\\s+)?(\\d{1,2}):(\\d{2})\\s*-\\s*"
            + "(\\d{1,2}):(\\d{2})\\s*$");
    private static final Pattern RANGE = Pattern.compile("(?i)^([a-z]+)(?:\\s*-\\s*([a-z]+))?$");

    public ScheduleWindow {
        Objects.requireNonNull(text, "text");
        if (days == null || days.isEmpty()) {
            throw new IllegalArgumentException("the window '" + text + "' has no weekday");
        }
        days = Set.copyOf(days);
        if (startMinute < 0 || startMinute >= DAY || endMinute < 0 || endMinute > DAY) {
            throw new IllegalArgumentException("the window '" + text + "' has a time outside 00:00-24:00");
        }
        if (startMinute == endMinute) {
            throw new IllegalArgumentException("the window '" + text + "' starts and ends at the same time: give an"
                    + " end after the start, or 00:00-24:00 for the whole day");
        }
    }

    /** Whether the window ends on the day after it starts. */
    public boolean endsNextDay() {
        return endMinute <= startMinute;
    }

    /**
     * Parses a window as the streams file gives it.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static ScheduleWindow parse(String text) {
        String t = text == null ? "" : text.strip();
        Matcher m = WINDOW.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + t + "' is not a window: expected " + EXPECTED);
        }
        Set<DayOfWeek> days = m.group(1) == null ? EnumSet.allOf(DayOfWeek.class) : days(m.group(1), t);
        int start = minute(m.group(2), m.group(3), false, t);
        int end = minute(m.group(4), m.group(5), true, t);
        return new ScheduleWindow(t, days, start, end);
    }

    private static Set<DayOfWeek> days(String spec, String text) {
        String s = spec.strip();
        if (s.equalsIgnoreCase("daily") || s.equalsIgnoreCase("every day")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String part : s.split(",")) {
            Matcher r = RANGE.matcher(part.strip());
            if (!r.matches()) {
                throw new IllegalArgumentException("'" + text + "' has weekdays '" + spec.strip() + "' that are not"
                        + " days: expected Mon, Tue, Wed, Thu, Fri, Sat, Sun, ranges (Mon-Fri) or lists (Sat,Sun)");
            }
            DayOfWeek from = day(r.group(1), text);
            DayOfWeek to = r.group(2) == null ? from : day(r.group(2), text);
            // a range wraps past Sunday: Fri-Mon is Fri, Sat, Sun, Mon
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                out.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return out;
    }

    private static DayOfWeek day(String name, String text) {
        String n = name.toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (n.length() >= 3 && full.startsWith(n)) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + text + "': '" + name + "' is not a weekday: expected Mon, Tue, Wed,"
                + " Thu, Fri, Sat or Sun");
    }

    private static int minute(String hours, String minutes, boolean end, String text) {
        int h = Integer.parseInt(hours);
        int m = Integer.parseInt(minutes);
        boolean midnightEnd = end && h == 24 && m == 0;
        if (!midnightEnd && (h > 23 || m > 59)) {
            throw new IllegalArgumentException("'" + text + "': " + hours + ":" + minutes + " is not a time of day:"
                    + " expected 00:00 to 23:59 (24:00 as an end)");
        }
        return h * 60 + m;
    }

    @Override
    public String toString() {
        return text;
    }
}
