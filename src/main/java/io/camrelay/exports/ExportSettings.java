package io.camrelay.exports;

import io.camrelay.support.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exports' settings (architecture §11, README configuration table), validated.
 *
 * @param dir           where jobs and files live ({@code camrelay.exports.dir})
 * @param maxConcurrent how many jobs run at once ({@code camrelay.exports.max-concurrent})
 * @param keep          how long a finished job and its file are kept ({@code camrelay.exports.keep})
 * @param maxDuration   the longest range one job may ask for ({@code camrelay.exports.max-duration})
 * @param minFreeSpace  a job fails as "disk full" when the folder's disk has less free ({@code
 *                      camrelay.exports.min-free-space})
 */
public record ExportSettings(Path dir, int maxConcurrent, Duration keep, Duration maxDuration, long minFreeSpace) {

    public static final String DIR = "camrelay.exports.dir";
    public static final String MAX_CONCURRENT = "camrelay.exports.max-concurrent";
    public static final String KEEP = "camrelay.exports.keep";
    public static final String MAX_DURATION = "camrelay.exports.max-duration";
    public static final String MIN_FREE_SPACE = "camrelay.exports.min-free-space";
    static final String DEFAULT_DIR = "exports";
    static final int DEFAULT_MAX_CONCURRENT = 2;
    static final String DEFAULT_KEEP = "7d";
    static final String DEFAULT_MAX_DURATION = "24h";
    static final String DEFAULT_MIN_FREE_SPACE = "512MB";
    /** More workers than this would compete for the recorder and the disk more than they gain. */
    static final int MAX_MAX_CONCURRENT = 16;
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|tb)?");

    public ExportSettings {
        Objects.requireNonNull(dir, "dir");
        if (maxConcurrent < 1 || maxConcurrent > MAX_MAX_CONCURRENT) {
            throw new IllegalArgumentException(MAX_CONCURRENT + " is " + maxConcurrent + ": expected 1 to "
                    + MAX_MAX_CONCURRENT);
        }
        if (keep.isNegative() || keep.isZero() || maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException(KEEP + " and " + MAX_DURATION + " must be positive durations");
        }
        if (minFreeSpace < 0) {
            throw new IllegalArgumentException(MIN_FREE_SPACE + " must not be negative");
        }
    }

    /** The settings from properties ({@code property} answers a key or null), defaults where unset. */
    public static ExportSettings from(Function<String, String> property) {
        String dir = value(property, DIR, DEFAULT_DIR);
        String concurrent = value(property, MAX_CONCURRENT, String.valueOf(DEFAULT_MAX_CONCURRENT));
        int n;
        try {
            n = Integer.parseInt(concurrent);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_CONCURRENT + " is '" + concurrent + "': expected a number from 1 to "
                    + MAX_MAX_CONCURRENT, e);
        }
        return new ExportSettings(Path.of(dir), n, Durations.parse(KEEP, value(property, KEEP, DEFAULT_KEEP)),
                Durations.parse(MAX_DURATION, value(property, MAX_DURATION, DEFAULT_MAX_DURATION)),
                bytes(MIN_FREE_SPACE, value(property, MIN_FREE_SPACE, DEFAULT_MIN_FREE_SPACE)));
    }

    /** A size: bytes, or a number with KB, MB, GB or TB (powers of 1024). */
    static long bytes(String what, String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " is '" + text.strip() + "': expected a size such as 512MB, "
                    + "2GB or 1048576 (bytes)");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "kb" -> 10;
            case "mb" -> 20;
            case "gb" -> 30;
            case "tb" -> 40;
            default -> 0;
        };
        if (n > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException(what + " is '" + text.strip() + "': too large");
        }
        return n << shift;
    }

    private static String value(Function<String, String> property, String key, String fallback) {
        String v = property.apply(key);
        return v == null || v.isBlank() ? fallback : v.strip();
    }
}
