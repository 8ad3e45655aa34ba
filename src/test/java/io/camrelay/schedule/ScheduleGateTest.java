package io.camrelay.schedule;

import io.camrelay.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.streams.Destination;
import io.camrelay.streams.GeoLocation;
import io.camrelay.streams.HoldSettings;
import io.camrelay.streams.ScheduleSettings;
import io.camrelay.streams.ScheduleWindow;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamGate;
import io.camrelay.streams.StreamSource;
import io.camrelay.streams.StreamState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The schedule gate's verdicts and the edges it arms, on a clock the test sets. */
class ScheduleGateTest {

    private static final ZoneId CPH = ZoneId.of("Europe/Copenhagen");


    /** Remembers what the gate armed; the test fires it. */
    private static final class Edges implements EdgeTimer {
        final Map<String, Duration> delays = new HashMap<>();
        final Map<String, Runnable> fires = new HashMap<>();
        int arms;

        @Override
        public void arm(String streamId, Duration delay, Runnable fire) {
            arms++;
            delays.put(streamId, delay);
            fires.put(streamId, fire);
        }

        @Override
        public void cancel(String streamId) {
            delays.remove(streamId);
            fires.remove(streamId);
        }
    }

    private final TestClock clock = TestClock.at("2026-12-07T05:59:00Z"); // Monday 06:59 in Copenhagen
    private final Edges edges = new Edges();
    private final List<String> rechecks = new ArrayList<>();

    private ScheduleGate gate(CameraLocations locations) {
        ScheduleGate g = new ScheduleGate(clock, locations, edges);
        g.onChange(rechecks::add);
        return g;
    }

    private static StreamDefinition stream(String camera, ScheduleSettings schedule) {
        return new StreamDefinition("lobby", "Lobby", camera, null, true, List.of(new Destination("rtmp://h/live/k",
                false)), StreamSource.FILE, HoldSettings.DEFAULT, null, schedule, true);
    }

    private static ScheduleSettings window(String w) {
        return new ScheduleSettings(CPH, List.of(ScheduleWindow.parse(w)), false, null, Duration.ZERO);
    }

    private static ScheduleSettings daylight(GeoLocation at) {
        return new ScheduleSettings(CPH, List.of(), true, at, Duration.ofMinutes(30));
    }

    @Test
    void outsideItsWindowTheStreamIsScheduledWithItsNextStartAndTheEdgeIsArmedThere() {
        ScheduleGate g = gate(c -> Optional.empty());
        StreamDefinition d = stream("Lobby", window("Mon-Fri 07:00-19:00"));
        StreamGate.Verdict v = g.check(d);
        assertThat(v.open()).isFalse();
        assertThat(v.state()).isEqualTo(StreamState.SCHEDULED);
        assertThat(v.nextStart()).isEqualTo(Instant.parse("2026-12-07T06:00:00Z"));
        assertThat(v.reason()).startsWith("outside its schedule (Mon-Fri 07:00-19:00, Europe/Copenhagen)");
        assertThat(edges.delays.get("lobby")).isEqualTo(Duration.ofMinutes(1));

        g.check(d); // the next poll: the same edge, not armed again
        assertThat(edges.arms).isEqualTo(1);

        clock.set(Instant.parse("2026-12-07T06:00:00Z"));
        edges.fires.get("lobby").run();
        assertThat(rechecks).containsExactly("lobby");
        StreamGate.Verdict open = g.check(d);
        assertThat(open).isEqualTo(StreamGate.Verdict.OPEN);
        assertThat(edges.delays.get("lobby")).as("armed for 19:00").isEqualTo(Duration.ofHours(12));
    }

    @Test
    void aClockSetForwardIsCaughtAtTheNextCheckAndTheEdgeMovesWithIt() {
        ScheduleGate g = gate(c -> Optional.empty());
        StreamDefinition d = stream("Lobby", window("Mon-Fri 07:00-19:00"));
        g.check(d);
        clock.set(Instant.parse("2026-12-07T05:59:50Z"));
        g.check(d);
        assertThat(edges.delays.get("lobby")).isEqualTo(Duration.ofSeconds(10));
        assertThat(edges.arms).isEqualTo(2);
    }

    @Test
    void aStreamWithoutScheduleIsOpenAndLosesItsEdgeAndAForgottenStreamToo() {
        ScheduleGate g = gate(c -> Optional.empty());
        g.check(stream("Lobby", window("Mon-Fri 07:00-19:00")));
        assertThat(g.check(stream("Lobby", null))).isEqualTo(StreamGate.Verdict.OPEN);
        assertThat(edges.delays).isEmpty();
        g.check(stream("Lobby", window("Mon-Fri 07:00-19:00")));
        g.forget("lobby");
        assertThat(edges.delays).isEmpty();
    }

    @Test
    void daylightWithoutLocationUsesTheCamerasPositionAndKeepsItWhileTheVmsIsAway() {
        AtomicInteger asked = new AtomicInteger();
        ScheduleGate g = gate(camera -> {
            if (asked.incrementAndGet() > 1) {
                throw new IllegalStateException("XProtect is down");
            }
            return Optional.of(new GeoLocation(55.658, 12.377));
        });
        StreamGate.Verdict v = g.check(stream("Lobby", daylight(null)));
        assertThat(v.state()).isEqualTo(StreamState.SCHEDULED);
        assertThat(v.reason()).contains("daylight at 55.658,12.377");
        // sunrise about 08:24 CET, less the 30 min margin
        assertThat(v.nextStart()).isBetween(Instant.parse("2026-12-07T06:40:00Z"),
                Instant.parse("2026-12-07T07:10:00Z"));
        assertThat(g.check(stream("Lobby", daylight(null))).state()).as("cached").isEqualTo(StreamState.SCHEDULED);
        assertThat(asked).hasValue(1);
        clock.advance(Duration.ofMinutes(ScheduleGate.LOCATION_TTL_MINUTES + 1));
        assertThat(g.check(stream("Lobby", daylight(null))).state()).as("the VMS fails: the last position")
                .isEqualTo(StreamState.SCHEDULED);
        assertThat(asked).hasValue(2);
    }

    @Test
    void aCameraWithoutPositionAndADaylightScheduleWithoutLocationIsAnErrorNamingBothKeys() {
        ScheduleGate g = gate(camera -> Optional.empty());
        StreamGate.Verdict v = g.check(stream("Yard", daylight(null)));
        assertThat(v.open()).isFalse();
        assertThat(v.state()).isEqualTo(StreamState.ERROR);
        assertThat(v.reason()).isEqualTo("stream 'lobby': schedule.daylight needs a place for sunrise and sunset, and"
                + " camera 'Yard' has no position in XProtect: set schedule.location (\"lat,lon\") in the streams"
                + " file, or the camera's gisPoint (its position on the map) in the Management Client");
        assertThat(edges.delays).isEmpty();

        StreamGate.Verdict down = gate(camera -> {
            throw new IllegalStateException("camrelay.xprotect.url is not set");
        }).check(stream("Yard", daylight(null)));
        assertThat(down.state()).isEqualTo(StreamState.ERROR);
        assertThat(down.reason()).contains("could not tell it for camera 'Yard' (camrelay.xprotect.url is not set)")
                .contains("schedule.location");
    }

    @Test
    void aPolarNightKeepsTheStreamScheduledUntilTheSunReturnsAndSaysSo() {
        clock.set(Instant.parse("2026-12-21T12:00:00Z"));
        StreamGate.Verdict v = gate(c -> Optional.empty()).check(stream("Lobby",
                daylight(new GeoLocation(78.22, 15.65))));
        assertThat(v.state()).isEqualTo(StreamState.SCHEDULED);
        assertThat(v.nextStart()).isBetween(Instant.parse("2027-02-16T09:00:00Z"),
                Instant.parse("2027-02-16T11:00:00Z"));
        assertThat(v.reason()).startsWith("polar night at 78.220,15.650: the sun does not rise until 2027-02-16");
    }

    @Test
    void aPolarDayKeepsTheStreamOpenWithANoteForTheStatus() {
        clock.set(Instant.parse("2026-06-21T00:00:00Z"));
        StreamGate.Verdict v = gate(c -> Optional.empty()).check(stream("Lobby",
                daylight(new GeoLocation(78.22, 15.65))));
        assertThat(v.open()).isTrue();
        assertThat(v.reason()).startsWith("polar day at 78.220,15.650");
    }
}
