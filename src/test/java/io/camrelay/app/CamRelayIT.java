package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camrelay.simulator.SimulatedPluginItem;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.LogCapture;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.FlvFiles;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CamRelay as an application in this JVM (CamRelayMain's wiring, the YAML route set): the simulator as XProtect,
 * nginx-rtmp as destination, recordings checked with ffprobe, status read over HTTP.
 */
class CamRelayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = io.camrelay.testing.TestHttp.client();
    /** The status contract's stream fields (docs/design.md §6). */
    private static final Set<String> STREAM_FIELDS = Set.of("id", "name", "cameraId", "cameraName", "state", "since",
            "source", "codec", "width", "height", "fps", "bitrateKbps", "keyframeIntervalMs", "framesIn", "restarts",
            "lastError", "destinations", "warnings", "sourceReconnects", "sourceLastError", "holdingSince",
            "skippedPictures", "nextStart", "owner");
    private static final Set<String> DESTINATION_FIELDS = Set.of("url", "state", "framesSent", "bytesSent",
            "droppedFrames", "reconnects", "lastError", "publishes", "holdingSince");

    private static XProtectSimulator simulator;
    private static NginxRtmp nginx;

    @TempDir
    Path dir;
    private Main main;
    private int port;

    @BeforeAll
    static void startServers() throws Exception {
        simulator = XProtectSimulator.builder().build().start();
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
        simulator.setPluginItems(List.of());
    }

    private Path streamsFile(String yaml) throws Exception {
        Path file = dir.resolve("streams.yaml");
        Path tmp = dir.resolve("streams.yaml.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private void startCamRelay(Path streams, boolean fromXProtect) {
        port = Ports.free();
        main = CamRelayOnSimulator.start(simulator, streams, port, Map.of(
                "camrelay.streams.from-xprotect", Boolean.toString(fromXProtect),
                "camrelay.streams.restart-initial-delay", "1s"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode streams() throws Exception {
        return JSON.readTree(get("/api/streams").body());
    }

    private JsonNode stream(String id) throws Exception {
        HttpResponse<String> r = get("/api/streams/" + id);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    private String state(String id) throws Exception {
        JsonNode s = stream(id);
        return s == null ? null : s.get("state").asText();
    }

    private List<Path> recordingsOf(String key) {
        return nginx.recordings().stream().filter(p -> p.getFileName().toString().startsWith(key + "-")).toList();
    }

    private static void assertDecodesAsH264AndAac(Path file) {
        assertThat(FfProbe.stream(file, "video").codecName()).as(file + " video").isEqualTo("h264");
        assertThat(FfProbe.stream(file, "audio").codecName()).as(file + " audio").isEqualTo("aac");
        assertThat(FfProbe.decodeErrors(file)).as(file + " decode errors").isEmpty();
    }

    @Test
    void streamsFromTheFileAndFromPluginItemsRunTogetherFannedOutAndShowTheStatusContract() throws Exception {
        simulator.setPluginItems(List.of(SimulatedPluginItem.rtmpStreamer("Yard", XProtectSimulator.BFRAMES_CAMERA_ID,
                "B-frames Camera", nginx.url("yard-key-1"))));
        startCamRelay(streamsFile("""
                streams:
                  - id: lobby
                    name: Lobby
                    camera: Demo Camera
                    destinations:
                      - url: %s
                      - url: %s
                """.formatted(nginx.url("lobby-a-key"), nginx.url("lobby-b-key"))), true);

        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode all = streams();
            return all.size() == 2 && all.get(0).get("state").asText().equals("STREAMING")
                    && all.get(1).get("state").asText().equals("STREAMING");
        });
        Thread.sleep(3000);

        JsonNode lobby = stream("lobby");
        assertThat(iterable(lobby.fieldNames())).containsExactlyInAnyOrderElementsOf(STREAM_FIELDS);
        assertThat(lobby.get("cameraId").asText()).isEqualTo(XProtectSimulator.DEMO_CAMERA_ID);
        assertThat(lobby.get("source").asText()).isEqualTo("file");
        assertThat(lobby.get("codec").asText()).isEqualTo("H264");
        assertThat(lobby.get("width").asInt()).isEqualTo(640);
        assertThat(lobby.get("framesIn").asLong()).isPositive();
        assertThat(lobby.get("destinations")).hasSize(2);
        for (JsonNode d : lobby.get("destinations")) {
            assertThat(iterable(d.fieldNames())).containsExactlyInAnyOrderElementsOf(DESTINATION_FIELDS);
            assertThat(d.get("state").asText()).isEqualTo("STREAMING");
            assertThat(d.get("framesSent").asLong()).isPositive();
            assertThat(d.get("url").asText()).isEqualTo("rtmp://127.0.0.1:" + nginx.port() + "/live/****");
        }
        JsonNode all = streams();
        assertThat(all.toString()).doesNotContain("lobby-a-key", "yard-key-1");
        JsonNode yard = all.get(0).get("id").asText().equals("lobby") ? all.get(1) : all.get(0);
        assertThat(yard.get("source").asText()).isEqualTo("xprotect");
        assertThat(get("/api/streams/no-such-stream").statusCode()).isEqualTo(404);
        assertThat(main.getCamelContext().getRouteController().isSupervising()).as("supervising route controller")
                .isTrue();

        main.stop();
        main = null;
        for (String key : List.of("lobby-a-key", "lobby-b-key", "yard-key-1")) {
            assertThat(recordingsOf(key)).as("recordings of " + key).hasSize(1);
            assertDecodesAsH264AndAac(recordingsOf(key).get(0));
        }
    }

    @Test
    void addingChangingAndRemovingStreamsLeavesAnUntouchedStreamPublishingOnce() throws Exception {
        String steady = """
                  - id: steady
                    name: Steady
                    camera: %s
                    url: %s
                """.formatted(XProtectSimulator.DEMO_CAMERA_ID, nginx.url("steady-key"));
        Path file = streamsFile("streams:\n" + steady + """
                  - id: changing
                    name: Changing
                    camera: %s
                    url: %s
                """.formatted(XProtectSimulator.DEMO_CAMERA_ID, dir.resolve("a.flv")));
        startCamRelay(file, false);
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> "STREAMING".equals(state("steady"))
                && "STREAMING".equals(state("changing")));

        streamsFile("streams:\n" + steady + """
                  - id: changing
                    name: Changing
                    camera: %s
                    url: %s
                  - id: added
                    name: Added
                    camera: %s
                    url: %s
                """.formatted(XProtectSimulator.DEMO_CAMERA_ID, dir.resolve("b.flv"),
                XProtectSimulator.BFRAMES_CAMERA_ID, dir.resolve("c.flv")));
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> "STREAMING".equals(state("added"))
                && stream("changing").get("destinations").get(0).get("url").asText().endsWith("b.flv")
                && "STREAMING".equals(state("changing")));

        streamsFile("streams:\n" + steady);
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> streams().size() == 1);
        Thread.sleep(2000);
        assertThat(state("steady")).isEqualTo("STREAMING");
        assertThat(stream("steady").get("destinations").get(0).get("reconnects").asLong()).isZero();

        int stopsBefore = simulator.imageServer().stopsReceived(XProtectSimulator.DEMO_CAMERA_ID);
        main.stop();
        main = null;
        assertThat(simulator.imageServer().stopsReceived(XProtectSimulator.DEMO_CAMERA_ID))
                .as("ImageServer 'stop' on shutdown").isGreaterThan(stopsBefore);
        // nginx logs each publish and records each into its own file (record_unique): one = one unbroken publish
        assertThat(nginx.errorLog().split("publish: name='steady-key'", -1)).hasSize(2);
        assertThat(recordingsOf("steady-key")).hasSize(1);
        assertDecodesAsH264AndAac(recordingsOf("steady-key").get(0));
        assertDecodesAsH264AndAac(FlvFiles.onlyRecordingOf(dir.resolve("b.flv")));
        assertDecodesAsH264AndAac(FlvFiles.onlyRecordingOf(dir.resolve("c.flv")));
    }

    @Test
    void anH265CameraGoesToErrorWithTheFixPostsAnEventAndIsRestartedWithGrowingDelays() throws Exception {
        int eventsBefore = simulator.events().size();
        try (LogCapture logs = LogCapture.capture()) {
            startCamRelay(streamsFile("""
                    streams:
                      - id: hevc
                        name: HEVC
                        camera: %s
                        url: %s
                    """.formatted(XProtectSimulator.HEVC_CAMERA_ID, dir.resolve("hevc.flv"))), false);
            // the failure handler logs the delay it chose for each restart: the back-off is read there, not timed
            await().ignoreExceptions().atMost(Duration.ofSeconds(30))
                    .until(() -> stream("hevc").get("restarts").asLong() >= 3);
            assertThat(stream("hevc").get("lastError").asText()).contains("H.265")
                    .contains("set the camera's stream to H.264 in the Management Client");
            await().ignoreExceptions().atMost(Duration.ofSeconds(10))
                    .until(() -> simulator.events().size() > eventsBefore);
            List<Double> delays = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("stream hevc failed: .*; restarting it in "
                    + "([0-9.]+) s").matcher(logs.text());
            while (m.find()) {
                delays.add(Double.parseDouble(m.group(1)));
            }
            // one restart per episode although every picture of the camera fails; 1 s, then 2 s, each ±20 %
            assertThat(delays).as("restart delays logged").hasSizeGreaterThanOrEqualTo(2);
            assertThat(delays.get(0)).isBetween(0.8, 1.2);
            assertThat(delays.get(1)).isBetween(1.6, 2.4);
            assertThat(stream("hevc").get("restarts").asLong()).isGreaterThanOrEqualTo(delays.size());
        }
        assertThat(state("hevc")).isIn("ERROR", "STARTING");
    }

    @Test
    void aJpegCameraEscalatedByTheConsumerGoesToErrorThroughTheSharedErrorHandling() throws Exception {
        startCamRelay(streamsFile("""
                streams:
                  - id: jpeg
                    name: JPEG
                    camera: %s
                    url: %s
                """.formatted(XProtectSimulator.JPEG_CAMERA_ID, dir.resolve("jpeg.flv"))), false);

        await().ignoreExceptions().atMost(Duration.ofSeconds(20))
                .until(() -> stream("jpeg").get("restarts").asLong() >= 1);
        JsonNode jpeg = stream("jpeg");
        assertThat(jpeg.get("state").asText()).isIn("ERROR", "STARTING");
        assertThat(jpeg.get("lastError").asText()).containsIgnoringCase("jpeg");
    }

    @Test
    void withoutAnXProtectUrlAStreamSaysWhichKeysToSet() throws Exception {
        port = Ports.free();
        main = CamRelayMain.create();
        main.addOverrideProperty("camrelay.streams.file", streamsFile("""
                streams:
                  - id: lobby
                    name: Lobby
                    camera: Lobby
                    url: %s
                """.formatted(dir.resolve("lobby.flv"))).toString());
        main.addOverrideProperty("camrelay.streams.poll-interval", "1s");
        main.addOverrideProperty("camrelay.status.port", Integer.toString(port));
        main.start();

        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> "ERROR".equals(state("lobby")));
        assertThat(stream("lobby").get("lastError").asText()).contains("camrelay.xprotect.url is not set")
                .contains("camrelay.xprotect.username").contains("camrelay.xprotect.password");
    }

    @Test
    void aFailingFileDestinationGoesToErrorWhileTheOtherKeepsStreaming() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-directory"), "x");
        startCamRelay(streamsFile("""
                streams:
                  - id: iso
                    name: Isolated
                    camera: %s
                    destinations:
                      - url: %s
                      - url: %s
                """.formatted(XProtectSimulator.DEMO_CAMERA_ID, nginx.url("iso-key"), blocker.resolve("x.flv"))),
                false);

        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode d = stream("iso").get("destinations");
            return d.get(0).get("framesSent").asLong() > 100 && "ERROR".equals(d.get(1).get("state").asText());
        });
        JsonNode d = stream("iso").get("destinations");
        assertThat(d.get(0).get("state").asText()).isEqualTo("STREAMING");
        assertThat(d.get(1).get("lastError").asText()).contains("x.flv");
        assertThat(state("iso")).isEqualTo("ERROR");

        main.stop();
        main = null;
        assertThat(recordingsOf("iso-key")).hasSize(1);
        assertDecodesAsH264AndAac(recordingsOf("iso-key").get(0));
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
