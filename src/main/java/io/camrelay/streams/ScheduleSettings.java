package io.camrelay.streams;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * A stream's {@code schedule:} (docs/design.md §5): when it runs. It runs inside one of its {@code windows} (if any)
 * and, with {@code daylight}, from sunrise to sunset widened by {@code daylightMargin} at {@code location} (or, when
 * that is null, at the camera's position in XProtect); with both, when both say so. Outside it the stream is
 * SCHEDULED: nothing published, no ImageServer session.
 *
 * @param timezone       the zone of the windows' wall-clock times
 * @param windows        weekday and time windows; empty for daylight alone
 * @param daylight       whether the stream runs only in daylight
 * @param location       where daylight is computed, or null for the camera's position
 * @param daylightMargin how long before sunrise and after sunset the stream runs too
 */
public record ScheduleSettings(ZoneId timezone, List<ScheduleWindow> windows, boolean daylight,
                               GeoLocation location, Duration daylightMargin) {

    /** {@code daylightMargin} when absent: dawn and dusk are worth showing. */
    public static final Duration DEFAULT_DAYLIGHT_MARGIN = Duration.ofMinutes(30);
    /** A wider margin would make every day whole: a mistake, not a schedule. */
    public static final Duration MAX_DAYLIGHT_MARGIN = Duration.ofHours(12);

    public ScheduleSettings {
        Objects.requireNonNull(timezone, "timezone");
        windows = List.copyOf(windows);
        Objects.requireNonNull(daylightMargin, "daylightMargin");
        if (windows.isEmpty() && !daylight) {
            throw new IllegalArgumentException("a schedule needs windows (e.g. [\"Mon-Fri 07:00-19:00\"]), daylight:"
                    + " true, or both");
        }
        if (location != null && !daylight) {
            throw new IllegalArgumentException("schedule.location is where daylight is computed: set daylight: true"
                    + " or remove the location");
        }
        if (daylightMargin.isNegative() || daylightMargin.compareTo(MAX_DAYLIGHT_MARGIN) > 0) {
            throw new IllegalArgumentException("schedule.daylightMargin must be from 0 to 12h, got " + daylightMargin);
        }
    }

    /** The windows as written, for messages: {@code Mon-Fri 07:00-19:00, Sat 09:00-13:00}. */
    public String windowsText() {
        return String.join(", ", windows.stream().map(ScheduleWindow::text).toList());
    }
}
