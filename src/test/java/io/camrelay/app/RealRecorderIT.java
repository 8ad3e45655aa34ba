package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.camrelay.imageserver.session.PrivacyMask;
import io.camrelay.simulator.ClipFile;
import io.camrelay.simulator.RecorderBehaviour;
import io.camrelay.simulator.SimulatedCamera;
import io.camrelay.simulator.SimulatorClip;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.LogCapture;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Ports;
import io.camrelay.testing.TestClips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CamRelay as an application against a simulator that behaves as a real 2025 R3 recorder (reference §1.3, §1.5,
 * §1.7): privacy masks, bursty B-frame stamps, the pre-buffered GOP, the recorder's clock stepping, a camera its
 * recorder loses; nginx-rtmp records what a platform would receive and ffprobe reads it.
 */
class RealRecorderIT {

    private static final long INTERVAL_MS = 40;
    private static final long STEP_TOLERANCE_MS = 5;
    private static final String MASKED = "5a5a5a5a-0000-4000-8000-000000000001";
    private static final String MASKED_LATER = "5a5a5a5a-0000-4000-8000-000000000002";
    private static final String STEPPING = "5a5a5a5a-0000-4000-8000-000000000003";
    private static final String AWAY = "5a5a5a5a-0000-4000-8000-000000000004";
    /** The recorded-shaped B-frame cameras: x264 clips with 1 and 2 B-frames and a pyramid, and the bundled one. */
    private static final Map<String, TestClips.Clip> BFRAME_CLIPS = Map.of(
            "5a5a5a5a-0000-4000-8000-0000000000b1", TestClips.ONE_BFRAME,
            "5a5a5a5a-0000-4000-8000-0000000000b2", TestClips.TWO_BFRAMES,
            "5a5a5a5a-0000-4000-8000-0000000000b3", TestClips.PYRAMID);

    private static XProtectSimulator simulator;
    private static NginxRtmp nginx;

    @TempDir
    Path dir;
    private Main main;
    private int port;

    @BeforeAll
    static void startServers() throws Exception {
        List<SimulatedCamera> cameras = new ArrayList<>(XProtectSimulator.demoCameras());
        RecorderBehaviour real = RecorderBehaviour.REAL;
        cameras.add(XProtectSimulator.camera(MASKED, "Masked", SimulatorClip.H264_BASELINE)
                .withRecorder(real.withPrivacyMask(true)));
        cameras.add(XProtectSimulator.camera(MASKED_LATER, "Masked later", SimulatorClip.H264_BASELINE));
        cameras.add(XProtectSimulator.camera(STEPPING, "Stepping clock", SimulatorClip.H264_BFRAMES)
                .withRecorder(real.withClockOffset(Duration.ofHours(-1))));
        cameras.add(XProtectSimulator.camera(AWAY, "Away", SimulatorClip.H264_BASELINE)
                .withRecorder(real.withLivePackageInterval(Duration.ofSeconds(2))));
        for (Map.Entry<String, TestClips.Clip> e : BFRAME_CLIPS.entrySet()) {
            TestClips.displayOrder(e.getValue()); // the .order file the simulator stamps it by
            cameras.add(XProtectSimulator.camera(e.getKey(), e.getValue().name(),
                    ClipFile.h264(e.getValue().path(), e.getValue().fps())));
        }
        simulator = XProtectSimulator.builder().cameras(cameras).build().start();
        nginx = NginxRtmp.start();
    }

    @AfterAll
    static void stopServers() {
        if (nginx != null) {
            nginx.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @AfterEach
    void stopCamRelay() {
        if (main != null) {
            main.stop();
        }
    }

    @Test
    void aCameraMaskedFromTheStartIsNeverPublishedAndSaysWhyOncePerEpisode() throws Exception {
        int eventsBefore = simulator.events().size();
        try (LogCapture log = LogCapture.capture()) {
            long started = System.nanoTime();
            start(Map.of("masked", MASKED));

            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> stream("masked")
                    .get("restarts").asLong() >= 1 && "ERROR".equals(state("masked")));
            JsonNode status = stream("masked");
            assertThat(status.get("lastError").asText()).isEqualTo(PrivacyMask.message(MASKED));
            await().atMost(Duration.ofSeconds(10)).until(() -> simulator.events().size() > eventsBefore);
            long elapsedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            long restarts = stream("masked").get("restarts").asLong();
            main.stop();
            main = null;

            // never retried faster than the stream error back-off (5 s doubling, each delay at least 4 s)
            assertThat(restarts).as("restarts in %d ms", elapsedMs).isLessThanOrEqualTo(elapsedMs / 4000 + 1);

            assertThat(simulator.imageServer().unmaskedPicturesSent(MASKED)).isZero();
            assertThat(status.get("framesIn").asLong()).as("pictures that reached the route").isZero();
            assertThat(videoPackets("masked-key")).as("pictures nginx received").isEmpty();
            long episodes = restarts + 1;
            List<String> refusals = log.lines().stream().filter(l -> l.contains("has a privacy mask")
                    && (l.startsWith("ERROR") || l.startsWith("WARN"))).toList();
            assertThat(refusals).as("log lines of the refusal").hasSizeBetween(1, (int) episodes);
        }
    }

    @Test
    void aMaskAddedAfterTenSecondsStopsTheStreamBeforeThatPictureReachesNginx() throws Exception {
        start(Map.of("later", MASKED_LATER));
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> "STREAMING".equals(state("later")));
        Thread.sleep(10_000);

        simulator.setPrivacyMask(MASKED_LATER, true);

        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> "ERROR".equals(state("later")));
        JsonNode status = stream("later");
        assertThat(status.get("lastError").asText()).isEqualTo(PrivacyMask.message(MASKED_LATER));
        long unmasked = simulator.imageServer().unmaskedPicturesSent(MASKED_LATER);
        // nginx's recording of the one publish is closed: the destination unpublished, nothing holds it open
        await().atMost(Duration.ofSeconds(10)).until(() -> nginx.errorLog().contains("name='later-key'")
                && countOf(nginx.errorLog(), "deleteStream") > 0);
        Thread.sleep(2000);
        main.stop();
        main = null;

        assertThat(simulator.imageServer().maskedPicturesSent(MASKED_LATER)).isPositive();
        assertThat(status.get("framesIn").asLong()).as("pictures that reached the route: exactly the unmasked ones")
                .isEqualTo(unmasked);
        List<FfProbe.Packet> recorded = videoPackets("later-key");
        assertThat(recorded.size()).as("pictures nginx received").isPositive().isLessThanOrEqualTo((int) unmasked);
        assertThat(recordingsOf("later-key")).as("never published again while masked").hasSize(1);
        assertThat(FfProbe.decodeErrors(recordingsOf("later-key").get(0))).isEmpty();
    }

    @Test
    void bFrameCamerasStampedAsRecordersDoAreEvenlyTimedInWhatNginxRecords() throws Exception {
        Map<String, String> streams = BFRAME_CLIPS.entrySet().stream().collect(Collectors.toMap(
                e -> e.getValue().name(), Map.Entry::getKey));
        start(streams);
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> streams.keySet().stream()
                .allMatch(id -> fn(() -> "STREAMING".equals(state(id)))));
        Thread.sleep(8000);
        main.stop();
        main = null;

        for (String id : streams.keySet()) {
            List<FfProbe.Packet> video = videoPackets(id + "-key");
            assertThat(video).as(id).hasSizeGreaterThan(150);
            List<Long> dts = video.stream().map(FfProbe.Packet::dtsMs).toList();
            assertThat(dts).as(id + " decode times").isSorted().doesNotHaveDuplicates();
            assertThat(video).as(id).allSatisfy(p -> assertThat(p.ptsMs()).isGreaterThanOrEqualTo(p.dtsMs()));
            // the recording ends wherever the stop fell in decode order: a picture shown later than the last one
            // decoded may still have had B-frames to come before it, so the reorder tail is left out; every picture
            // presented up to the last decode time was sent (its decode time is no later), so none may be missing
            long lastDts = dts.get(dts.size() - 1);
            List<Long> pts = new ArrayList<>(video.stream().map(FfProbe.Packet::ptsMs).filter(t -> t <= lastDts)
                    .toList());
            pts.sort(null);
            assertThat(pts).as(id + " presentation times").doesNotHaveDuplicates();
            java.util.LongSummaryStatistics steps = new java.util.LongSummaryStatistics();
            for (int i = 1; i < pts.size(); i++) {
                steps.accept(pts.get(i) - pts.get(i - 1));
                assertThat(pts.get(i) - pts.get(i - 1)).as("%s presentation step %d of %d", id, i, pts.size() - 1)
                        .isBetween(INTERVAL_MS - STEP_TOLERANCE_MS, INTERVAL_MS + STEP_TOLERANCE_MS);
            }
            System.out.printf("figures: %s through nginx: %d pictures, presentation steps %d..%d ms%n", id,
                    video.size(), steps.getMin(), steps.getMax());
            assertThat(FfProbe.decodeErrors(recordingsOf(id + "-key").get(0))).as(id).isEmpty();
        }
    }

    @Test
    void theLivePushStartsWithThePreBufferedGopWithoutADiscontinuityOrADroppedFrame() throws Exception {
        try (LogCapture log = LogCapture.capture()) {
            start(Map.of("lobby", XProtectSimulator.DEMO_CAMERA_ID));
            await().ignoreExceptions().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(20))
                    .until(() -> "STREAMING".equals(state("lobby")));
            long streaming = System.nanoTime();
            Thread.sleep(4000);
            JsonNode status = stream("lobby");
            long streamedMs = Duration.ofNanos(System.nanoTime() - streaming).toMillis();
            main.stop();
            main = null;

            List<FfProbe.Packet> video = videoPackets("lobby-key");
            assertThat(video.get(0).key()).isTrue();
            for (int i = 1; i < video.size(); i++) {
                assertThat(video.get(i).dtsMs() - video.get(i - 1).dtsMs()).as("decode step %d", i)
                        .isEqualTo(INTERVAL_MS);
            }
            // the buffered GOP is published, not dropped to wait for the next key frame: nginx has at least the
            // media of the time the stream showed STREAMING (plus the GOP's age)
            long mediaMs = video.get(video.size() - 1).dtsMs() - video.get(0).dtsMs() + INTERVAL_MS;
            System.out.printf("figures: pre-buffered start: %d ms of media recorded for %d ms of STREAMING%n", mediaMs,
                    streamedMs);
            assertThat(mediaMs).isGreaterThanOrEqualTo(streamedMs - 200);
            assertThat(status.get("destinations").get(0).get("droppedFrames").asLong()).isZero();
            assertThat(log.lines()).noneMatch(l -> l.contains("picture time jumped"));
        }
    }

    @Test
    void aRecorderClockStepEitherWayIsAbsorbedByTheTimelineOfTheWholeRoute() throws Exception {
        try (LogCapture log = LogCapture.capture()) {
            start(Map.of("stepping", STEPPING));
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> "STREAMING".equals(
                    state("stepping")));
            Thread.sleep(3000);
            simulator.stepRecorderClock(STEPPING, Duration.ofSeconds(30));
            Thread.sleep(3000);
            simulator.stepRecorderClock(STEPPING, Duration.ofSeconds(-45));
            Thread.sleep(3000);
            JsonNode status = stream("stepping");
            main.stop();
            main = null;

            assertThat(status.get("state").asText()).isEqualTo("STREAMING");
            assertThat(status.get("restarts").asLong()).isZero();
            assertThat(status.get("destinations").get(0).get("reconnects").asLong()).isZero();
            assertThat(recordingsOf("stepping-key")).as("one unbroken publish").hasSize(1);
            List<FfProbe.Packet> video = videoPackets("stepping-key");
            long maxStep = 0;
            for (int i = 1; i < video.size(); i++) {
                maxStep = Math.max(maxStep, video.get(i).dtsMs() - video.get(i - 1).dtsMs());
            }
            assertThat(maxStep).as("largest decode step: the steps of the recorder's clock are not in it")
                    .isLessThanOrEqualTo(2 * INTERVAL_MS);
            assertThat(video.get(video.size() - 1).dtsMs()).as("media time of a 9 s run")
                    .isBetween(8_000L, 14_000L);
            assertThat(log.lines().stream().filter(l -> l.contains("picture time jumped")).count())
                    .as("each step counted as a clock discontinuity").isEqualTo(2);
            assertThat(FfProbe.decodeErrors(recordingsOf("stepping-key").get(0))).isEmpty();
        }
    }

    @Test
    void aCameraItsRecorderLosesIsReportedAsSuchNotAsANoDataTimeoutAndComesBack() throws Exception {
        // a no-data timeout shorter than the default 10 s, to outlast it sooner; the livepackages saying the camera
        // is away come more often than that
        start(Map.of("away", AWAY), CamRelayOnSimulator.WITH_SHORT_NO_DATA_TIMEOUT);
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> "STREAMING".equals(state("away")));

        simulator.setCameraConnected(AWAY, false);
        // the camera side is lost: the destinations hold (docs/design.md §7a), with the recorder's reason
        await().ignoreExceptions().atMost(Duration.ofSeconds(5)).until(() -> "HOLDING".equals(state("away")));
        Thread.sleep(CamRelayOnSimulator.SHORT_NO_DATA_TIMEOUT.plusSeconds(1).toMillis()); // past the timeout
        JsonNode away = stream("away");
        long framesAway = away.get("framesIn").asLong();
        simulator.setCameraConnected(AWAY, true);

        assertThat(away.get("state").asText()).isEqualTo("HOLDING");
        assertThat(away.get("sourceLastError").asText()).startsWith("camera " + AWAY + " is disconnected from its "
                + "recorder (livepackage status item 5 = 1)");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> "STREAMING".equals(state("away"))
                && stream("away").get("framesIn").asLong() > framesAway + 25);
        assertThat(stream("away").get("restarts").asLong()).isZero();
        assertThat(simulator.imageServer().acceptedConnects(AWAY)).as("waited on the same socket").isOne();
    }

    private void start(Map<String, String> streamToCamera) throws Exception {
        start(streamToCamera, Map.of());
    }

    /** CamRelay with one stream per entry of {@code streamToCamera}, and {@code properties} over its defaults. */
    private void start(Map<String, String> streamToCamera, Map<String, String> properties) throws Exception {
        StringBuilder yaml = new StringBuilder("streams:\n");
        streamToCamera.forEach((id, camera) -> yaml.append("  - id: ").append(id).append("\n    name: ").append(id)
                .append("\n    camera: ").append(camera).append("\n    url: ").append(nginx.url(id + "-key"))
                .append('\n'));
        Path file = dir.resolve("streams.yaml");
        Files.writeString(file, yaml);
        port = Ports.free();
        main = CamRelayOnSimulator.start(simulator, file, port, properties);
    }

    private JsonNode stream(String id) throws Exception {
        return io.camrelay.testing.StatusApi.stream(port, id);
    }

    private String state(String id) throws Exception {
        return io.camrelay.testing.StatusApi.state(port, id);
    }

    private static List<Path> recordingsOf(String key) {
        return nginx.recordings().stream().filter(p -> p.getFileName().toString().startsWith(key + "-")).toList();
    }

    /** The video packets of every recording of {@code key} (none when nginx received no picture). */
    private static List<FfProbe.Packet> videoPackets(String key) throws Exception {
        List<FfProbe.Packet> out = new ArrayList<>();
        for (Path file : recordingsOf(key)) {
            if (Files.size(file) > 0 && FfProbe.streams(file).stream().anyMatch(s -> s.codecType().equals("video"))) {
                out.addAll(FfProbe.packets(file).stream().filter(p -> p.codecType().equals("video")).toList());
            }
        }
        return out;
    }

    private static int countOf(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    private static boolean fn(java.util.concurrent.Callable<Boolean> c) {
        try {
            return c.call();
        } catch (Exception e) {
            return false;
        }
    }
}
