package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.streams.ScheduleSettings;
import io.camrelay.testing.TestClock;
import io.camrelay.testing.LogCapture;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Ports;
import io.camrelay.testing.Recording;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.commons.suncalc.SunTimes;

/**
 * A schedule as a platform sees it: CamRelay as an application with a clock the test sets (it runs at the real rate
 * from where the test puts it), the simulator as XProtect, nginx-rtmp recording each publish. Two one-minute windows
 * on a Monday in Copenhagen; the test puts the clock a few seconds before each edge, so the whole day passes in about
 * twenty seconds. The opening edges come from the schedule's Quartz triggers; after a jump of the clock the
 * definitions poll re-checks the stream and moves its trigger.
 */
class ScheduleIT {

    private static final String CAMERA = XProtectSimulator.DEMO_CAMERA_ID;
    private static final ZoneId CPH = ZoneId.of("Europe/Copenhagen");
    private static final String KEY = "sched-key";


    @TempDir
    Path dir;
    private NginxRtmp nginx;
    private XProtectSimulator simulator;
    private Main main;
    private int port;
    private final TestClock clock = TestClock.runningFrom(Instant.now());

    @BeforeEach
    void startServers() throws Exception {
        nginx = NginxRtmp.start();
        simulator = XProtectSimulator.builder().build().start();
    }

    @AfterEach
    void stopAll() {
        if (main != null) {
            main.stop();
        }
        simulator.close();
        nginx.close();
    }

    private static Instant cph(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(CPH).toInstant();
    }

    @Test
    void aWindowOpensAndClosesThePublishAndTheNextWindowPublishesAgain() throws Exception {
        clock.set(cph("2026-12-07T06:59:55")); // a Monday, five seconds before the first window
        LogCapture logs = LogCapture.capture();
        startCamRelayWithSchedule("""
                    schedule:
                      timezone: Europe/Copenhagen
                      windows: ["Mon 07:00-07:01", "Mon 07:02-07:03"]
                """);

        // before the window: SCHEDULED, saying when it starts, nothing published, no ImageServer session
        await().ignoreExceptions().atMost(Duration.ofSeconds(3)).until(() -> "SCHEDULED".equals(state()));
        JsonNode before = stream();
        assertThat(before.get("nextStart").asText()).isEqualTo("2026-12-07T06:00:00Z");
        assertThat(before.get("warnings").toString()).contains("outside its schedule (Mon 07:00-07:01, Mon"
                + " 07:02-07:03, Europe/Copenhagen); it starts Mon 2026-12-07 07:00 CET");
        assertThat(simulator.imageServer().openSessions(CAMERA)).isZero();
        assertThat(nginx.publishes(KEY)).isZero();

        // 07:00: the Quartz edge opens it
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> "STREAMING".equals(state()));
        Instant opened = clock.instant();
        assertThat(opened).as("not before the window").isAfterOrEqualTo(cph("2026-12-07T07:00:00"));
        assertThat(stream().get("nextStart").isNull()).isTrue();
        await().ignoreExceptions().atMost(Duration.ofSeconds(10))
                .until(() -> stream().get("destinations").get(0).get("framesSent").asLong() >= 50);
        assertThat(nginx.publishes(KEY)).isEqualTo(1);

        // 07:01: the window closes; the destination unpublishes, the session closes, the next start is 07:02
        clock.set(cph("2026-12-07T07:00:57"));
        await().ignoreExceptions().atMost(Duration.ofSeconds(15)).until(() -> "SCHEDULED".equals(state()));
        assertThat(clock.instant()).as("not before the window's end").isAfterOrEqualTo(cph("2026-12-07T07:01:00"));
        assertThat(stream().get("nextStart").asText()).isEqualTo("2026-12-07T06:02:00Z");
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.imageServer().openSessions(CAMERA) == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> nginx.errorLog().contains("deleteStream"));
        assertThat(logs.text()).as("straight from STREAMING to SCHEDULED, nothing in between")
                .contains("stream " + KEY + " is SCHEDULED (was STREAMING)");
        logs.close();
        List<Path> first = nginx.recordingsOf(KEY);
        assertThat(first).hasSize(1);
        Recording one = Recording.of(first.get(0));
        assertThat(one.decodeErrors()).as(one + ": ffmpeg -v error").isEmpty();
        assertThat(one.firstIsKey()).isTrue();

        // 07:02: the next window publishes again
        clock.set(cph("2026-12-07T07:01:57"));
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> "STREAMING".equals(state()));
        await().ignoreExceptions().atMost(Duration.ofSeconds(10))
                .until(() -> stream().get("destinations").get(0).get("framesSent").asLong() >= 25);
        main.stop();
        main = null;

        assertThat(nginx.publishes(KEY)).as("publishes in nginx's log").isEqualTo(2);
        List<Path> recordings = nginx.recordingsOf(KEY);
        assertThat(recordings).as("a recording per window").hasSize(2);
        Recording two = Recording.of(recordings.get(1));
        assertThat(two.decodeErrors()).as(two + ": ffmpeg -v error").isEmpty();
        assertThat(two.firstIsKey()).isTrue();
        System.out.printf("schedule: first window %s, second %s%n", one, two);
    }

    @Test
    void aDaylightScheduleTakesTheCamerasGisPointAndACameraWithoutOneIsAnErrorNamingBothPlacesToSetIt()
            throws Exception {
        clock.set(cph("2026-12-07T02:00:00")); // night in Copenhagen
        startCamRelay("""
                  - id: %s
                    camera: %s
                    url: output/never.flv
                    schedule:
                      daylight: true
                  - id: unplaced
                    camera: %s
                    url: output/never-either.flv
                    schedule:
                      daylight: true
                """.formatted(KEY, CAMERA, XProtectSimulator.HEVC_CAMERA_ID));

        await().ignoreExceptions().atMost(Duration.ofSeconds(5)).until(() -> "SCHEDULED".equals(state()));
        SunTimes sun = SunTimes.compute().utc().on(cph("2026-12-07T02:00:00")).at(55.658, 12.377).execute();
        Instant expected = sun.getRise().toInstant().minus(ScheduleSettings.DEFAULT_DAYLIGHT_MARGIN);
        Instant nextStart = Instant.parse(stream().get("nextStart").asText());
        assertThat(Duration.between(expected, nextStart).abs()).as("nextStart " + nextStart + " vs the library's"
                + " sunrise at the demo camera's gisPoint, less the margin").isLessThanOrEqualTo(Duration.ofMinutes(1));

        await().ignoreExceptions().atMost(Duration.ofSeconds(5)).until(() -> "ERROR".equals(state("unplaced")));
        assertThat(stream("unplaced").get("lastError").asText()).isEqualTo("stream 'unplaced': schedule.daylight"
                + " needs a place for sunrise and sunset, and camera '" + XProtectSimulator.HEVC_CAMERA_ID + "' has no"
                + " position in XProtect: set schedule.location (\"lat,lon\") in the streams file, or the camera's"
                + " gisPoint (its position on the map) in the Management Client");
        assertThat(simulator.imageServer().openSessions(CAMERA)).isZero();
    }

    /** One stream of the demo camera to nginx, with {@code schedule} (indented as a stream's key). */
    private void startCamRelayWithSchedule(String schedule) throws Exception {
        startCamRelay("""
                  - id: %s
                    name: Scheduled
                    camera: %s
                    url: %s
                %s""".formatted(KEY, CAMERA, nginx.url(KEY), schedule));
    }

    /** CamRelay with these entries under {@code streams:}. */
    private void startCamRelay(String entries) throws Exception {
        Path streams = dir.resolve("streams.yaml");
        Files.writeString(streams, "streams:\n" + entries);
        port = Ports.free();
        main = CamRelayOnSimulator.start(CamRelayMain.create(CamRelayMain.CONFIG_FILE,
                new ApplicationWiring().withClock(clock)), simulator, streams, port);
    }

    private JsonNode stream() throws Exception {
        return stream(KEY);
    }

    private JsonNode stream(String id) throws Exception {
        return io.camrelay.testing.StatusApi.stream(port, id);
    }

    private String state() throws Exception {
        return state(KEY);
    }

    private String state(String id) throws Exception {
        return io.camrelay.testing.StatusApi.state(port, id);
    }
}
