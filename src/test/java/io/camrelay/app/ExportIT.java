package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camrelay.imageserver.session.PrivacyMask;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Ports;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports (architecture §11) as users see them: CamRelay in this JVM against the simulator's recordings, the REST API
 * over HTTP, the files decoded by ffprobe/ffmpeg, the CLI through bin/camrelay on the built jar, a restart, a cancel,
 * a full disk, a masked camera, and the live streams of the same process at nginx while two exports run.
 */
class ExportIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = io.camrelay.testing.TestHttp.client();
    private static final String BFRAMES = XProtectSimulator.BFRAMES_CAMERA_ID;
    private static final String DEMO = XProtectSimulator.DEMO_CAMERA_ID;
    private static final long MINUTE_MS = 60_000;
    private static final double GOP_S = 2.0;
    private static final Path LAUNCHER = Path.of(System.getProperty("basedir", "."), "bin", "camrelay")
            .toAbsolutePath();
    private static final Path JAR = Path.of(System.getProperty("camrelay.jar", "target/camrelay.jar")).toAbsolutePath();

    private static XProtectSimulator simulator;
    /** The simulator's gap, ms: the end of the recording before it and the start of the one after it. */
    private static long gapFrom;
    private static long gapTo;

    @TempDir
    Path dir;
    private Main main;
    private int port;

    @BeforeAll
    static void startSimulator() throws Exception {
        simulator = XProtectSimulator.builder().build().start();
        List<long[]> spans = simulator.imageServer().recordedSequences(BFRAMES, 0, Long.MAX_VALUE / 2);
        for (int i = 1; i < spans.size(); i++) {
            if (spans.get(i)[0] > spans.get(i - 1)[1]) {
                gapFrom = spans.get(i - 1)[1];
                gapTo = spans.get(i)[0];
            }
        }
        assertThat(gapTo - gapFrom).as("the simulator's recording has a gap").isPositive();
    }

    @AfterAll
    static void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @AfterEach
    void stopCamRelay() {
        if (main != null) {
            main.stop();
        }
        simulator.setPrivacyMask(BFRAMES, false);
    }

    private void startCamRelay(Map<String, String> properties) throws Exception {
        Path noStreams = dir.resolve("no-streams.yaml");
        Files.writeString(noStreams, "streams: []\n");
        port = Ports.free();
        main = CamRelayOnSimulator.start(simulator, noStreams, port,
                Map.of("camrelay.exports.dir", dir.resolve("exports").toString()), properties);
    }

    private String streams(String yaml) throws IOException {
        Path file = dir.resolve("streams.yaml");
        Files.writeString(file, "streams:\n" + yaml);
        return file.toString();
    }

    private HttpResponse<byte[]> http(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private HttpResponse<byte[]> post(String camera, long from, long to, String format) throws Exception {
        return http("POST", "/api/exports", "{\"camera\":\"" + camera + "\",\"from\":\"" + Instant.ofEpochMilli(from)
                + "\",\"to\":\"" + Instant.ofEpochMilli(to) + "\"" + (format == null ? "" : ",\"format\":\"" + format
                + "\"") + "}", "Content-Type", "application/json");
    }

    private JsonNode job(String id) throws Exception {
        return json(http("GET", "/api/exports/" + id, null));
    }

    private JsonNode awaitState(String id, String state, Duration within) {
        await().ignoreExceptions().atMost(within).pollInterval(Duration.ofMillis(50))
                .until(() -> job(id).get("state").asText().equals(state));
        try {
            return job(id);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile).filter(p -> !p.getParent().getFileName().toString().equals("jobs"))
                    .toList();
        }
    }

    @Test
    void aTenMinuteRangeWithAGapExportsThroughTheApiAndTheCliToTheSameMp4ThatDecodes() throws Exception {
        assertThat(JAR).as("the built jar (mvn package)").exists();
        startCamRelay(Map.of());
        long from = gapFrom - 5 * MINUTE_MS;
        long to = from + 10 * MINUTE_MS;

        JsonNode cameras = json(http("GET", "/api/cameras", null));
        JsonNode spans = json(http("GET", "/api/cameras/" + BFRAMES + "/sequences?from=" + Instant.ofEpochMilli(from)
                + "&to=" + Instant.ofEpochMilli(to), null));
        HttpResponse<byte[]> created = post("B-frame Camera", from, to, null);
        String id = json(created).get("id").asText();
        JsonNode done = awaitState(id, "DONE", Duration.ofSeconds(60));
        HttpResponse<byte[]> whole = http("GET", "/api/exports/" + id + "/file", null);
        HttpResponse<byte[]> part = http("GET", "/api/exports/" + id + "/file", null, "Range", "bytes=100-1099");
        Path clip = Files.write(dir.resolve("clip.mp4"), whole.body());
        CliResult cli = cli("--camera", BFRAMES, "--from", Instant.ofEpochMilli(from).toString(), "--to",
                Instant.ofEpochMilli(to).toString(), "-o", "out/clip.mp4");
        CliResult unknown = cli("--camera", "No Such Camera", "--from", Instant.ofEpochMilli(from).toString(), "--to",
                Instant.ofEpochMilli(to).toString(), "-o", "other.mp4");

        assertThat(cameras.findValuesAsText("id")).contains(BFRAMES, DEMO);
        assertThat(cameras.get(0).get("recordingServer").asText()).isEqualTo("Simulated recording server");
        assertThat(spans).as("two spans around the gap, merged from 10-minute sequences").hasSize(2);
        assertThat(spans.get(0).get("end").asText()).isEqualTo(Instant.ofEpochMilli(gapFrom).toString());
        assertThat(spans.get(1).get("start").asText()).isEqualTo(Instant.ofEpochMilli(gapTo).toString());
        assertThat(created.statusCode()).isEqualTo(202);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/exports/" + id);
        assertThat(done.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(done.get("format").asText()).isEqualTo("mp4");
        assertThat(done.get("cameraName").asText()).isEqualTo("B-frame Camera");
        assertThat(done.get("file").asText()).isEqualTo("/api/exports/" + id + "/file");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("attachment; filename=\"B-frame-Camera_").endsWith(".mp4\""));
        assertThat(whole.body().length).isEqualTo(done.get("bytes").asLong());
        assertThat(whole.headers().firstValue("Content-Length")).as("a browser shows the download's size")
                .hasValue(done.get("bytes").asText());
        assertThat(whole.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-1099/" + whole.body().length);
        assertThat(part.headers().firstValue("Content-Length")).hasValue("1000");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 100, 1100));
        assertPlayableExport(clip, BFRAMES, from, to, done.get("frames").asLong());
        assertThat(cli.exitCode()).as(cli.output()).isZero();
        assertThat(cli.output()).contains("export: 50% (", "export: 100% (", "wrote " + dir.resolve("out/clip.mp4"));
        assertThat(Files.readAllBytes(dir.resolve("out/clip.mp4"))).as("the CLI writes the same file")
                .isEqualTo(whole.body());
        assertThat(Files.list(dir.resolve("out")).toList()).as("no temp files left")
                .containsExactly(dir.resolve("out/clip.mp4"));
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("--camera: XProtect has no camera 'No Such Camera'");
        assertThat(dir.resolve("other.mp4")).doesNotExist();
    }

    /** What the issue asks of an exported file of [from, to) of a B-frame camera with the gap in it. */
    private static void assertPlayableExport(Path clip, String camera, long from, long to, long framesReported)
            throws IOException {
        long recorded = simulator.imageServer().recordedPictures(camera, from, to);
        List<FfProbe.Stream> streams = FfProbe.streamsByPackets(clip);
        FfProbe.Stream video = streams.stream().filter(st -> st.codecType().equals("video")).findFirst().orElseThrow();
        FfProbe.Stream audio = streams.stream().filter(st -> st.codecType().equals("audio")).findFirst().orElseThrow();
        List<FfProbe.Packet> packets = FfProbe.packets(clip);
        List<FfProbe.Packet> pictures = packets.stream().filter(p -> p.codecType().equals("video")).toList();
        long largestStep = 0;
        for (int i = 1; i < pictures.size(); i++) {
            largestStep = Math.max(largestStep, pictures.get(i).dtsMs() - pictures.get(i - 1).dtsMs());
        }

        assertThat(video.codecName()).isEqualTo("h264");
        assertThat(audio.codecName()).isEqualTo("aac");
        assertThat(FfProbe.decodeErrors(clip)).as("ffmpeg -v error prints nothing").isEmpty();
        assertThat((long) video.frames()).as("frames = recorded pictures in the range").isEqualTo(recorded)
                .isEqualTo(framesReported);
        assertThat(video.duration()).as("duration within one GOP of the range").isBetween((to - from) / 1000.0 - GOP_S,
                (to - from) / 1000.0 + GOP_S);
        assertThat(pictures.get(0).key()).as("key frame first").isTrue();
        assertThat(pictures.stream().anyMatch(p -> p.ptsMs() != p.dtsMs())).as("B-frames keep pts != dts").isTrue();
        assertThat(largestStep).as("the gap stays a gap in time").isGreaterThanOrEqualTo(gapTo - gapFrom - 100);
        assertThat(topLevelBoxes(clip)).startsWith("ftyp", "moov", "mdat");
    }

    private static List<String> topLevelBoxes(Path file) throws IOException {
        List<String> boxes = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long at = 0;
            while (at + 8 <= f.length() && boxes.size() < 10) {
                f.seek(at);
                long size = f.readInt() & 0xFFFFFFFFL;
                byte[] type = new byte[4];
                f.readFully(type);
                if (size == 1) {
                    size = f.readLong();
                }
                boxes.add(new String(type, StandardCharsets.US_ASCII));
                if (size < 8) {
                    break;
                }
                at += size;
            }
        }
        return boxes;
    }

    private record CliResult(int exitCode, String output) {
    }

    private CliResult cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "export"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("CAMRELAY_JAR", JAR.toString());
        pb.environment().remove("CAMRELAY_JAVA_OPTS");
        pb.environment().put("CAMRELAY_XPROTECT_URL", simulator.baseUrl());
        pb.environment().put("CAMRELAY_XPROTECT_USERNAME", simulator.username());
        pb.environment().put("CAMRELAY_XPROTECT_PASSWORD", simulator.password());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the export command ends").isTrue();
        return new CliResult(p.exitValue(), output);
    }

    @Test
    void aJobRunningWhenCamRelayStopsRunsAgainAfterTheRestartAndCompletes() throws Exception {
        startCamRelay(Map.of());
        long from = gapTo + MINUTE_MS;
        long to = from + 10 * MINUTE_MS;
        String id = json(post(DEMO, from, to, null)).get("id").asText();
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> job(id).get("frames").asLong() > 0);

        main.stop();
        main = null;
        JsonNode stored = JSON.readTree(dir.resolve("exports/jobs/" + id + ".json").toFile());
        startCamRelay(Map.of());
        JsonNode done = awaitState(id, "DONE", Duration.ofSeconds(60));

        assertThat(stored.get("state").asText()).as("stored when CamRelay stopped").isEqualTo("RUNNING");
        assertThat(done.get("frames").asLong()).isEqualTo(simulator.imageServer().recordedPictures(DEMO, from, to));
        assertThat(FfProbe.streamsByPackets(dir.resolve("exports/" + id + ".mp4")).get(0).frames())
                .isEqualTo(done.get("frames").asInt());
        assertThat(filesIn(dir.resolve("exports"))).containsExactly(dir.resolve("exports/" + id + ".mp4"));
    }

    @Test
    void aDeleteWhileRunningCancelsTheJobAndLeavesNoFile() throws Exception {
        startCamRelay(Map.of());
        long from = gapTo + MINUTE_MS;
        String id = json(post(DEMO, from, from + 30 * MINUTE_MS, "flv")).get("id").asText();
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> job(id).get("frames").asLong() > 0);

        HttpResponse<byte[]> deleted = http("DELETE", "/api/exports/" + id, null);
        Thread.sleep(500);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(job(id).get("state").asText()).isEqualTo("CANCELLED");
        assertThat(http("GET", "/api/exports/" + id + "/file", null).statusCode()).isEqualTo(409);
        assertThat(filesIn(dir.resolve("exports"))).as("no file, no partial file").isEmpty();
        assertThat(http("DELETE", "/api/exports/" + id, null).statusCode()).as("deleting it again removes it")
                .isEqualTo(204);
        assertThat(http("GET", "/api/exports/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aFullDiskOrAMaskedCameraFailTheJobWithTheCauseAndTheFixAndLeaveNoFile() throws Exception {
        startCamRelay(Map.of("camrelay.exports.min-free-space", "1000000TB"));
        long from = gapTo + MINUTE_MS;
        String full = json(post(DEMO, from, from + MINUTE_MS, null)).get("id").asText();
        JsonNode failed = awaitState(full, "FAILED", Duration.ofSeconds(20));
        main.stop();
        startCamRelay(Map.of());
        simulator.setPrivacyMask(BFRAMES, true);
        String masked = json(post(BFRAMES, from, from + MINUTE_MS, null)).get("id").asText();
        JsonNode refused = awaitState(masked, "FAILED", Duration.ofSeconds(20));

        assertThat(failed.get("error").asText()).contains("has only", "less than camrelay.exports.min-free-space",
                "free space there");
        assertThat(refused.get("error").asText()).isEqualTo(PrivacyMask.message(BFRAMES));
        assertThat(refused.get("file").isNull()).isTrue();
        assertThat(filesIn(dir.resolve("exports"))).isEmpty();
        assertThat(json(http("GET", "/api/exports/" + masked + "/file", null)).get("error").asText())
                .contains("is FAILED");
    }

    @Test
    void wrongRequestsAreRefusedWithA400NamingTheField() throws Exception {
        startCamRelay(Map.of("camrelay.exports.max-duration", "1h"));
        long from = gapTo + MINUTE_MS;

        Map<String, HttpResponse<byte[]>> answers = Map.of(
                "camera", post("No Such Camera", from, from + MINUTE_MS, null),
                "to", post(DEMO, from, from - MINUTE_MS, null),
                "format", post(DEMO, from, from + MINUTE_MS, "avi"),
                "from", http("POST", "/api/exports", "{\"camera\":\"" + DEMO + "\",\"from\":\"yesterday\",\"to\":\""
                        + Instant.ofEpochMilli(from) + "\"}"),
                "body", http("POST", "/api/exports", "not json"));
        HttpResponse<byte[]> tooLong = post(DEMO, from, from + 61 * MINUTE_MS, null);

        answers.forEach((field, r) -> {
            assertThat(r.statusCode()).as(field).isEqualTo(400);
            try {
                assertThat(json(r).get("field").asText()).isEqualTo(field);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(json(answers.get("camera")).get("error").asText()).contains("XProtect has no camera 'No Such "
                + "Camera'");
        assertThat(json(answers.get("to")).get("error").asText()).contains("is not after from");
        assertThat(json(answers.get("format")).get("error").asText()).contains("format 'avi'", "expected mp4 or flv");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).get("error").asText()).contains("longer than camrelay.exports.max-duration (1 h)");
        assertThat(http("GET", "/api/exports/nope", null).statusCode()).isEqualTo(404);
        assertThat(http("GET", "/api/cameras/nope/sequences", null).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> snapshot = http("GET", "/api/cameras/" + DEMO + "/snapshot", null);
        assertThat(snapshot.statusCode()).isEqualTo(200);
        assertThat(snapshot.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(snapshot.body()[0] & 0xFF).isEqualTo(0xFF);
        assertThat(json(http("GET", "/api/exports", null))).isEmpty();
    }

    @Test
    void theLiveStreamOfTheSameProcessKeepsItsFrameRateAtNginxWhileTwoExportsRun() throws Exception {
        try (NginxRtmp nginx = NginxRtmp.start()) {
            port = Ports.free();
            startCamRelay(Map.of("camrelay.streams.file", streams("""
                      - id: lobby
                        name: Lobby
                        camera: %s
                        url: %s
                    """.formatted(DEMO, nginx.url("lobby-key")))));
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> json(http("GET",
                    "/api/streams/lobby", null)).get("state").asText().equals("STREAMING"));
            Thread.sleep(2000);
            long from = gapTo + MINUTE_MS;

            long started = System.nanoTime();
            String a = json(post(DEMO, from, from + 10 * MINUTE_MS, null)).get("id").asText();
            String b = json(post(BFRAMES, from, from + 10 * MINUTE_MS, "flv")).get("id").asText();
            awaitState(a, "DONE", Duration.ofSeconds(60));
            awaitState(b, "DONE", Duration.ofSeconds(60));
            double exportSeconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(1000);
            JsonNode lobby = json(http("GET", "/api/streams/lobby", null));
            main.stop();
            main = null;

            Path recording = nginx.recordings().stream().filter(p -> p.getFileName().toString()
                    .startsWith("lobby-key-")).findFirst().orElseThrow();
            List<FfProbe.Packet> video = FfProbe.packets(recording).stream().filter(p -> p.codecType()
                    .equals("video")).toList();
            long largestStep = 0;
            for (int i = 1; i < video.size(); i++) {
                largestStep = Math.max(largestStep, video.get(i).dtsMs() - video.get(i - 1).dtsMs());
            }
            double seconds = (video.get(video.size() - 1).dtsMs() - video.get(0).dtsMs()) / 1000.0;
            org.slf4j.LoggerFactory.getLogger(getClass()).info("two exports took {} s; the live stream at nginx: {} "
                    + "frames over {} s, largest step {} ms", exportSeconds, video.size(), seconds, largestStep);
            assertThat(video.size() / seconds).as("live frames per second at nginx").isBetween(24.0, 26.0);
            assertThat(largestStep).as("largest step between live frames (ms)").isLessThanOrEqualTo(80);
            assertThat(lobby.get("destinations").get(0).get("droppedFrames").asLong()).isZero();
            List<FfProbe.Stream> flv = FfProbe.streamsByPackets(dir.resolve("exports/" + b + ".flv"));
            assertThat(flv).extracting(FfProbe.Stream::codecName).containsExactly("h264", "aac");
            assertThat((long) flv.get(0).frames()).as("the FLV export's pictures")
                    .isEqualTo(simulator.imageServer().recordedPictures(BFRAMES, from, from + 10 * MINUTE_MS));
            assertThat(lobby.get("state").asText()).isEqualTo("STREAMING");
        }
    }
}
