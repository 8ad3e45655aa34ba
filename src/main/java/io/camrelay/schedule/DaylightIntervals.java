package io.camrelay.schedule;

import io.camrelay.streams.GeoLocation;
import java.time.Duration;
import java.time.Instant;
import org.shredzone.commons.suncalc.SunTimes;

/**
 * The open stretches of daylight at a place: sunrise minus the margin to sunset plus the margin, from commons-suncalc
 * (sunrise and sunset as the upper edge of the sun crosses the horizon, with refraction). A night shorter than twice
 * the margin joins two days; in a polar day the stretch lasts until the sun sets again, in a polar night the next one
 * starts when it rises again.
 */
final class DaylightIntervals implements IntervalSource {

    /** How far suncalc looks for the next sunrise or sunset (its default): past any polar night. */
    static final Duration SEARCH = Duration.ofDays(365);
    /** Nights joined at most, so that a margin of many hours cannot loop for long. */
    private static final int MAX_JOINS = 400;

    private final GeoLocation location;
    private final Duration margin;

    DaylightIntervals(GeoLocation location, Duration margin) {
        this.location = location;
        this.margin = margin;
    }

    /** Whether the sun is up at {@code t}, and when it next rises and sets (null: not within a year). */
    record Sun(boolean up, Instant nextRise, Instant nextSet) {
    }

    /** The sun at {@code t} (no margin). */
    Sun sunAt(Instant t) {
        // the zone first: suncalc's timezone() keeps the local time of an instant given before it
        SunTimes s = SunTimes.compute().utc().on(t).at(location.latitude(), location.longitude()).execute();
        Instant rise = s.getRise() == null ? null : s.getRise().toInstant();
        Instant set = s.getSet() == null ? null : s.getSet().toInstant();
        boolean up = s.isAlwaysUp() || (!s.isAlwaysDown() && set != null && (rise == null || set.isBefore(rise)));
        return new Sun(up, rise, set);
    }

    @Override
    public ScheduleInterval next(Instant from) {
        Instant t0 = from.minus(margin);
        Sun sun = sunAt(t0);
        Instant start;
        Instant end;
        if (sun.up()) {
            // up since before t0: the stretch began before from
            start = from;
            end = sun.nextSet() == null ? t0.plus(SEARCH) : sun.nextSet().plus(margin);
        } else if (sun.nextRise() != null) {
            start = sun.nextRise().minus(margin);
            end = sun.nextSet() == null ? sun.nextRise().plus(SEARCH) : sun.nextSet().plus(margin);
        } else {
            return null; // no sunrise within a year
        }
        for (int i = 0; i < MAX_JOINS && end.isBefore(from.plus(SEARCH)); i++) {
            // the sun has set at end - margin: does it rise again before the margins meet?
            Sun after = sunAt(end.minus(margin).plusSeconds(60));
            if (after.up() || after.nextRise() == null || after.nextRise().minus(margin).isAfter(end)) {
                break;
            }
            end = after.nextSet() == null ? after.nextRise().plus(SEARCH) : after.nextSet().plus(margin);
        }
        return new ScheduleInterval(start, end);
    }

    GeoLocation location() {
        return location;
    }
}
