package io.camrelay.schedule;

import io.camrelay.streams.GeoLocation;
import io.camrelay.streams.ScheduleSettings;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamGate;
import io.camrelay.streams.StreamState;
import io.camrelay.support.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedule gate (docs/design.md §6 "Gates"): a stream with a {@code schedule:} runs only inside it and is
 * SCHEDULED with its {@code nextStart} outside it. At each check it arms the stream's {@link EdgeTimer} for the
 * schedule's next edge (a window opening or closing, sunrise or sunset with the margin), where the reconciler checks
 * it again; the definitions poll re-checks every stream too, so a clock set forward or back is caught within a poll.
 * A daylight schedule without {@code location} uses the camera's position in the VMS (cached for
 * {@value #LOCATION_TTL_MINUTES} minutes, and kept while the VMS cannot be asked); a camera that has none puts the
 * stream in ERROR naming both places to set it.
 */
public final class ScheduleGate implements StreamGate {

    static final long LOCATION_TTL_MINUTES = 10;
    /** An armed edge this close to the one computed again is left alone (the poll re-checks every stream). */
    static final long REARM_TOLERANCE_MS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleGate.class);

    private record Located(Optional<GeoLocation> location, Instant at) {
    }

    private final Clock clock;
    private final CameraLocations locations;
    private final EdgeTimer timer;
    /** When each stream's armed edge fires, in System.currentTimeMillis(). */
    private final Map<String, Long> armed = new ConcurrentHashMap<>();
    private final Map<String, Located> cameraLocations = new ConcurrentHashMap<>();
    private volatile Consumer<String> recheck = id -> { };

    /**
     * @param clock     what "now" is for the schedules (the system's; tests move it)
     * @param locations where cameras are, for daylight schedules without a location
     * @param timer     calls back at each edge
     */
    public ScheduleGate(Clock clock, CameraLocations locations, EdgeTimer timer) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.locations = Objects.requireNonNull(locations, "locations");
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    @Override
    public Verdict check(StreamDefinition d) {
        ScheduleSettings schedule = d.schedule();
        if (schedule == null) {
            disarm(d.id());
            return Verdict.OPEN;
        }
        GeoLocation location = schedule.location();
        if (schedule.daylight() && location == null) {
            Located camera;
            try {
                camera = cameraLocation(d.camera());
            } catch (RuntimeException e) {
                disarm(d.id());
                return Verdict.closed(StreamState.ERROR, "stream '" + d.id() + "': schedule.daylight needs the"
                        + " camera's position, but XProtect could not tell it for camera '" + d.camera() + "' ("
                        + Secrets.rootMessage(e) + "): set schedule.location (\"lat,lon\") in the streams file, or"
                        + " CamRelay asks again at the next poll", null, null);
            }
            if (camera.location().isEmpty()) {
                disarm(d.id());
                return Verdict.closed(StreamState.ERROR, "stream '" + d.id() + "': schedule.daylight needs a place"
                        + " for sunrise and sunset, and camera '" + d.camera() + "' has no position in XProtect: set"
                        + " schedule.location (\"lat,lon\") in the streams file, or the camera's gisPoint (its"
                        + " position on the map) in the Management Client", null, null);
            }
            location = camera.location().get();
        }
        Instant now = clock.instant();
        ScheduleCalendar.Outlook outlook = new ScheduleCalendar(schedule, location).at(now);
        arm(d.id(), outlook.nextChange() == null ? null : Duration.between(now, outlook.nextChange()));
        if (outlook.open()) {
            return outlook.note() == null ? Verdict.OPEN : Verdict.openNoting(outlook.note());
        }
        return Verdict.closed(StreamState.SCHEDULED, outlook.note(), outlook.nextStart(), null);
    }

    @Override
    public void onChange(Consumer<String> recheck) {
        this.recheck = Objects.requireNonNull(recheck, "recheck");
    }

    @Override
    public void forget(String streamId) {
        disarm(streamId);
    }

    /** The camera's position: cached, asked again after the TTL, the old answer kept while the VMS fails. */
    private Located cameraLocation(String camera) {
        Located cached = cameraLocations.get(camera);
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.at().plusSeconds(LOCATION_TTL_MINUTES * 60))) {
            return cached;
        }
        try {
            Located fresh = new Located(locations.locate(camera), now);
            cameraLocations.put(camera, fresh);
            return fresh;
        } catch (RuntimeException e) {
            if (cached != null) {
                LOG.debug("camera {}'s position could not be read again; keeping the last one: {}", camera,
                        Secrets.rootMessage(e));
                return cached;
            }
            throw e;
        }
    }

    private void arm(String id, Duration delay) {
        if (delay == null) {
            disarm(id);
            return;
        }
        long delayMs = Math.max(0, delay.toMillis());
        long fireAt = System.currentTimeMillis() + delayMs;
        Long before = armed.get(id);
        if (before != null && Math.abs(before - fireAt) <= REARM_TOLERANCE_MS) {
            return;
        }
        armed.put(id, fireAt);
        timer.arm(id, Duration.ofMillis(delayMs), () -> {
            // fired (perhaps a few ms early): the re-check arms the next edge, or this one again
            armed.remove(id);
            recheck.accept(id);
        });
    }

    private void disarm(String id) {
        if (armed.remove(id) != null) {
            timer.cancel(id);
        }
    }
}
