package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.camrelay.simulator.Fault;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.FlvFiles;
import io.camrelay.testing.LogCapture;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Ports;
import io.camrelay.testing.Recording;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broadcast continuity (docs/design.md §7a) as a platform sees it: CamRelay as an application, the simulator as
 * XProtect with faults, nginx-rtmp with {@code record_unique} as the platform. For each cause of loss the stream's
 * publish must outlive the outage: one publish in nginx's log, one recording that {@code ffmpeg -v error} decodes
 * silently, video and audio timestamps strictly increasing, no video gap over 1 s and no audio gap, HOLDING during
 * the outage and STREAMING after, the camera's picture back within one GOP of its return. Outages the issue gives as
 * 60 s are 12 s here for the VMS (its token must run out) and 6 s for a recorder: the code path is the same (refused
 * connects with the session's back-off, a failing login).
 */
class BroadcastContinuityIT {

    private static final HttpClient HTTP = io.camrelay.testing.TestHttp.client();
    private static final String CAMERA = XProtectSimulator.DEMO_CAMERA_ID;
    /** No video gap at the server over this (the bound; hold pictures come every 500 ms). */
    private static final long MAX_VIDEO_GAP_MS = 1000;
    /** AAC frames are 21.3 ms apart at 48 kHz; "no audio gap" leaves room for rounding only. */
    private static final long MAX_AUDIO_GAP_MS = 30;
    /** The camera's picture is back within one GOP (2 s) of its return. */
    private static final long MAX_RESUME_MS = 2000;
    private static final Pattern RESUMED = Pattern.compile("key frame came (\\d+) ms after its first picture");

    private static NginxRtmp nginx;
    private static XProtectSimulator simulator;

    @TempDir
    Path dir;
    private Main main;
    private int port;
    private LogCapture logs;
    private StateSampler sampler;

    @BeforeAll
    static void startServers() throws Exception {
        nginx = NginxRtmp.start();
        // short VMS tokens, so that a VMS outage outlives the recorder's token as a maintenance window would; 12 s,
        // because CamRelay renews no more often than every 10 s (VmsSession.MIN_RENEW_DELAY)
        simulator = XProtectSimulator.builder().vmsTokenTtl(Duration.ofSeconds(12)).build().start();
    }

    @AfterAll
    static void stopServers() {
        if (simulator != null) {
            simulator.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.capture();
    }

    @AfterEach
    void stopCamRelay() {
        if (sampler != null) {
            sampler.close();
        }
        if (main != null) {
            main.stop();
        }
        simulator.imageServer().clearFaults(CAMERA);
        logs.close();
    }

    private void startCamRelay(String key, String extra) throws Exception {
        startCamRelayWith(key, "    url: " + nginx.url(key) + "\n" + extra);
    }

    private void startCamRelayWith(String key, String rest) throws Exception {
        startCamRelayWith(key, rest, Map.of());
    }

    /**
     * CamRelay with one stream of the demo camera; {@code rest} is the stream's keys after its camera, and
     * {@code properties} go over CamRelay's defaults.
     */
    private void startCamRelayWith(String key, String rest, Map<String, String> properties) throws Exception {
        Path streams = dir.resolve("streams.yaml");
        Files.writeString(streams, """
                streams:
                  - id: %s
                    name: %s
                    camera: %s
                %s""".formatted(key, key, CAMERA, rest));
        port = Ports.free();
        main = CamRelayOnSimulator.start(simulator, streams, port,
                Map.of("camrelay.streams.restart-initial-delay", "1s"), properties);
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> "STREAMING".equals(state(key)));
        sampler = new StateSampler(key);
    }

    private JsonNode stream(String id) throws Exception {
        return io.camrelay.testing.StatusApi.stream(port, id);
    }

    private String state(String id) throws Exception {
        return io.camrelay.testing.StatusApi.state(port, id);
    }

    /** Streams until the stream is STREAMING again for {@code afterSeconds}, then stops CamRelay. */
    private void recoverAndStop(String key, double afterSeconds) throws Exception {
        await().ignoreExceptions().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                .until(() -> "STREAMING".equals(state(key)));
        Thread.sleep(Math.round(afterSeconds * 1000));
        sampler.close();
        main.stop();
        main = null;
    }

    /** What every cause must show at the server and in the status. */
    private Recording assertOneContinuousBroadcast(String key, boolean heldVisibly) {
        assertThat(nginx.publishes(key)).as("publishes of " + key + " in nginx's log").isEqualTo(1);
        List<Path> recordings = nginx.recordingsOf(key);
        assertThat(recordings).as("recordings of " + key).hasSize(1);
        Recording r = Recording.of(recordings.get(0));
        assertThat(r.decodeErrors()).as(r + ": ffmpeg -v error").isEmpty();
        assertThat(r.firstIsKey()).as(r + ": starts at a key frame").isTrue();
        assertThat(r.videoStrictlyIncreases()).as(r + ": video timestamps").isTrue();
        assertThat(r.audioStrictlyIncreases()).as(r + ": audio timestamps").isTrue();
        assertThat(r.maxVideoGapMs()).as(r + ": largest video gap").isLessThanOrEqualTo(MAX_VIDEO_GAP_MS);
        assertThat(r.maxAudioGapMs()).as(r + ": largest audio gap").isLessThanOrEqualTo(MAX_AUDIO_GAP_MS);
        if (heldVisibly) {
            assertThat(sampler.seen).as("states during the outage").contains("HOLDING");
            assertThat(r.holdPictures()).as(r + ": hold pictures").isPositive();
            Matcher m = RESUMED.matcher(logs.text());
            assertThat(m.find()).as("a resume was logged").isTrue();
            long resumeMs = Long.parseLong(m.group(1));
            assertThat(resumeMs).as("the camera's key frame after its first picture").isLessThanOrEqualTo(MAX_RESUME_MS);
            System.out.printf("continuity %s: %s, resume %d ms%n", key, r, resumeMs);
        } else {
            System.out.printf("continuity %s: %s%n", key, r);
        }
        assertThat(sampler.seen).as("no state during the outage is ERROR or STOPPED").doesNotContain("STOPPED");
        return r;
    }

    @Test
    void aDroppedSessionAndARefusedTokenAreHeldOnOnePublish() throws Exception {
        startCamRelay("drop-key", "");
        Thread.sleep(2000);
        simulator.inject(CAMERA, Fault.WRONG_TOKEN);
        simulator.inject(CAMERA, Fault.DROP);
        recoverAndStop("drop-key", 2);

        assertOneContinuousBroadcast("drop-key", true);
        assertThat(sampler.last.get("restarts").asLong()).as("healed by the consumer, not restarted").isZero();
        assertThat(sampler.last.get("sourceReconnects").asLong()).as("sourceReconnects").isPositive();
        assertThat(sampler.last.get("sourceLastError").asText()).isNotEmpty();
    }

    @Test
    void aStalledSessionIsHeldUntilItsNoDataTimeoutReconnectsIt() throws Exception {
        // a no-data timeout shorter than the default 10 s: the same path, sooner
        startCamRelayWith("stall-key", "    url: " + nginx.url("stall-key") + "\n",
                CamRelayOnSimulator.WITH_SHORT_NO_DATA_TIMEOUT);
        Thread.sleep(2000);
        simulator.inject(CAMERA, Fault.STALL);
        await().atMost(Duration.ofSeconds(10)).until(() -> sampler.seen.contains("HOLDING"));
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("/observe/health while HOLDING").isEqualTo(200);
        recoverAndStop("stall-key", 2);

        assertOneContinuousBroadcast("stall-key", true);
        assertThat(sampler.last.get("sourceLastError").asText()).contains("no picture");
    }

    @Test
    void aRecorderDownForSixSecondsIsHeldOnOnePublishAndInOneFile() throws Exception {
        Path file = dir.resolve("recorder.flv");
        startCamRelayWith("recorder-key", "    destinations:\n      - url: " + nginx.url("recorder-key")
                + "\n      - url: " + file + "\n");
        Thread.sleep(2000);
        long down = System.nanoTime();
        simulator.imageServer().downFor(Duration.ofSeconds(6));
        await().atMost(Duration.ofSeconds(5)).until(() -> sampler.seen.contains("HOLDING"));
        recoverAndStop("recorder-key", 2);

        Recording r = assertOneContinuousBroadcast("recorder-key", true);
        // the hold's length lies in between: the recording spans the wall time, no jump back or beyond
        long wallMs = (System.nanoTime() - down) / 1_000_000;
        assertThat(r.durationMs()).as("media time against %d ms of wall time since the outage", wallMs)
                .isGreaterThan(wallMs);
        // the file destination held too: one file, decodable, no gap
        Recording local = Recording.of(FlvFiles.onlyRecordingOf(file));
        System.out.printf("continuity recorder-key file: %s%n", local);
        assertThat(local.decodeErrors()).as(local + ": ffmpeg -v error").isEmpty();
        assertThat(local.maxVideoGapMs()).isLessThanOrEqualTo(MAX_VIDEO_GAP_MS);
        assertThat(local.audioStrictlyIncreases()).isTrue();
    }

    @Test
    void aVmsDownForTwelveSecondsWhileTheRecordersTokenRunsOutIsHeldOnOnePublish() throws Exception {
        startCamRelay("vms-key", "");
        Thread.sleep(2000);
        simulator.downFor(Duration.ofSeconds(12));
        // the recorder closes the session when its token expires unrenewed; reconnecting needs the VMS
        await().atMost(Duration.ofSeconds(15)).until(() -> sampler.seen.contains("HOLDING"));
        recoverAndStop("vms-key", 2);

        assertOneContinuousBroadcast("vms-key", true);
    }

    @Test
    void aCorruptPictureEveryTwoSecondsIsSkippedBridgedAndCountedWithoutARestart() throws Exception {
        startCamRelay("corrupt-key", "");
        simulator.inject(CAMERA, Fault.CORRUPT_PICTURES);
        simulator.inject(CAMERA, Fault.FOREIGN_PACKETS);
        simulator.inject(CAMERA, Fault.MULTI_PACKET);
        Thread.sleep(6_000);
        simulator.imageServer().clearFaults(CAMERA);
        recoverAndStop("corrupt-key", 1);

        assertOneContinuousBroadcast("corrupt-key", false);
        assertThat(sampler.last.get("skippedPictures").asLong()).as("skippedPictures").isGreaterThanOrEqualTo(2);
        assertThat(sampler.last.get("restarts").asLong()).as("restarts").isZero();
        assertThat(sampler.seen).as("states").doesNotContain("ERROR");
        assertThat(logs.count("WARN", "skipped")).as("skips logged once a minute").isBetween(1L, 2L);
    }

    @Test
    void aRouteRestartByTheErrorHandlerAfterACodecChangeIsHeldOnOnePublish() throws Exception {
        startCamRelay("restart-key", "");
        Thread.sleep(2000);
        simulator.inject(CAMERA, Fault.CODEC_CHANGE);
        await().atMost(Duration.ofSeconds(5)).until(() -> sampler.seen.contains("HOLDING"));
        recoverAndStop("restart-key", 2);

        assertOneContinuousBroadcast("restart-key", true);
        assertThat(sampler.last.get("restarts").asLong()).as("restarts").isEqualTo(1);
    }

    @Test
    void afterMaxDurationTheDestinationUnpublishesOnceAndPublishesAgainWhenTheCameraReturns() throws Exception {
        startCamRelay("max-key", """
                    hold:
                      maxDuration: 3s
                """);
        Thread.sleep(2000);
        simulator.imageServer().downFor(Duration.ofSeconds(6));
        await().atMost(Duration.ofSeconds(10)).until(() -> nginx.recordingsOf("max-key").size() == 1
                && nginx.errorLog().contains("max-key") && logs.text().contains("hold.maxDuration"));
        recoverAndStop("max-key", 2);

        assertThat(nginx.publishes("max-key")).as("publishes").isEqualTo(2);
        List<Path> recordings = nginx.recordingsOf("max-key");
        assertThat(recordings).hasSize(2);
        for (Path p : recordings) {
            Recording r = Recording.of(p);
            System.out.printf("continuity max-key: %s%n", r);
            assertThat(r.decodeErrors()).as(r + ": ffmpeg -v error").isEmpty();
            assertThat(r.firstIsKey()).isTrue();
            assertThat(r.maxVideoGapMs()).as(r + ": largest video gap").isLessThanOrEqualTo(MAX_VIDEO_GAP_MS);
        }
        assertThat(logs.count("WARN", "hold.maxDuration")).as("one unpublish").isEqualTo(1);
    }

    @Test
    void aRotationOnNginxCostsAReconnectAtAKeyFrameEachTime() throws Exception {
        startCamRelay("rotate-key", "    rotate: 10s\n");
        // two rotations, at 10 s and 20 s: the first refused by nginx, the second close-then-publish
        await().ignoreExceptions().atMost(Duration.ofSeconds(35)).pollInterval(Duration.ofMillis(200))
                .until(() -> stream("rotate-key").get("destinations").get(0).get("publishes").asLong() == 3
                        && "STREAMING".equals(state("rotate-key")));
        Thread.sleep(1000); // the third publish's first GOP reaches nginx
        JsonNode before = stream("rotate-key").get("destinations").get(0);
        main.stop();
        main = null;

        // nginx takes one publish per name: the first rotation's second publish is refused, then close-then-publish
        assertThat(nginx.refusedPublishes("rotate-key")).as("refused second publishes").isEqualTo(1);
        int publishes = nginx.publishes("rotate-key");
        assertThat(publishes).as("publishes after two rotations with rotate: 10s").isEqualTo(3);
        assertThat(before.get("publishes").asLong()).isEqualTo(publishes);
        assertThat(before.get("droppedFrames").asLong()).as("frames lost in the rotations").isLessThanOrEqualTo(25);
        // nginx opens a recording for the refused publish too, and writes nothing into it
        List<Path> recordings = nginx.recordingsOf("rotate-key").stream().filter(p -> p.toFile().length() > 0)
                .toList();
        assertThat(recordings).hasSize(publishes);
        for (Path p : recordings) {
            Recording r = Recording.of(p);
            System.out.printf("continuity rotate-key: %s%n", r);
            assertThat(r.decodeErrors()).as(r + ": ffmpeg -v error").isEmpty();
            assertThat(r.firstIsKey()).as(r + ": key frame first").isTrue();
        }
        List<Long> gaps = Pattern.compile("\\): (\\d+) ms without video at the server").matcher(logs.text())
                .results().map(m -> Long.parseLong(m.group(1))).toList();
        System.out.printf("continuity rotate-key: rotation gaps %s ms%n", gaps);
        assertThat(gaps).hasSize(publishes - 1).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(1000));
    }

    /** Samples the stream's status every 100 ms: the states it showed, and the last snapshot. */
    private final class StateSampler implements AutoCloseable {
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        volatile JsonNode last;
        private final Thread thread;
        private volatile boolean running = true;

        StateSampler(String id) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        JsonNode s = stream(id);
                        if (s != null) {
                            last = s;
                            seen.add(s.get("state").asText());
                        }
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // CamRelay stopping: nothing more to see
                    }
                }
            }, "state-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
