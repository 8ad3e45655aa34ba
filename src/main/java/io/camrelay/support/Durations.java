package io.camrelay.support;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of CamRelay's settings (properties and the streams file): a number of milliseconds
 * ({@code 30000}), or amounts with units d, h, m, s and ms ({@code 30s}, {@code 1m30s}, {@code 11h}, {@code 7d}).
 */
public final class Durations {

    /** What the syntax looks like, for error messages. */
    public static final String EXPECTED = "a duration such as 30s, 2m, 1m30s, 11h, 7d or 30000 (milliseconds)";

    private static final Pattern WHOLE = Pattern.compile("\\d+|(\\d+(d|h|ms|m|s))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(d|h|ms|m|s)");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @param what names the setting in the error message, e.g. {@code camrelay.streams.poll-interval}
     * @throws IllegalArgumentException naming the setting, the value and the expected form
     */
    public static Duration parse(String what, String text) {
        String v = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (!WHOLE.matcher(v).matches()) {
            throw new IllegalArgumentException(what + " is '" + (text == null ? "" : text.strip()) + "': expected "
                    + EXPECTED);
        }
        try {
            if (v.chars().allMatch(Character::isDigit)) {
                return Duration.ofMillis(Long.parseLong(v));
            }
            Duration total = Duration.ZERO;
            Matcher m = PART.matcher(v);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "s" -> Duration.ofSeconds(n);
                    default -> Duration.ofMillis(n);
                });
            }
            return total;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(what + " is '" + text.strip() + "': too long; expected " + EXPECTED, e);
        }
    }

    /** As {@link #parse}, and at least {@code min} (the message names the minimum as written in {@code minText}). */
    public static Duration parseAtLeast(String what, String text, Duration min, String minText) {
        Duration d = parse(what, text);
        if (d.compareTo(min) < 0) {
            throw new IllegalArgumentException(what + " is '" + text.strip() + "': expected at least " + minText);
        }
        return d;
    }

    /** A short human form: "1.5 s", "30 s", "5 min", "4 min 12 s", "2 h 5 min". */
    public static String human(Duration d) {
        if (d.compareTo(Duration.ofSeconds(10)) < 0 && d.toMillis() % 1000 != 0) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        long s = Math.max(0, (d.toMillis() + 999) / 1000);
        if (s < 60) {
            return s + " s";
        }
        long m = s / 60;
        if (m >= 60) {
            long h = m / 60;
            return m % 60 == 0 ? h + " h" : h + " h " + (m % 60) + " min";
        }
        long rest = s % 60;
        return rest == 0 ? m + " min" : m + " min " + rest + " s";
    }
}
