package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.LogCapture;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Ports;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/streams/{id}/preview.mp4} (architecture §12) as a viewer sees it: CamRelay in this JVM relaying the
 * simulator's camera to nginx, the preview read over HTTP and decoded by ffprobe, a viewer that never reads, and the
 * viewer limit.
 */
class LivePreviewIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = io.camrelay.testing.TestHttp.client();
    private static final String KEY = "lobby-preview-key";

    @TempDir
    static Path dir;
    private static XProtectSimulator simulator;
    private static NginxRtmp nginx;
    private static Main main;
    private static int port;

    @BeforeAll
    static void relayTheDemoCameraToNginx() throws Exception {
        simulator = XProtectSimulator.builder().build().start();
        nginx = NginxRtmp.start();
        Path streams = dir.resolve("streams.yaml");
        Files.writeString(streams, """
                streams:
                  - id: lobby
                    name: Lobby
                    camera: %s
                    url: %s
                """.formatted(XProtectSimulator.DEMO_CAMERA_ID, nginx.url(KEY)));
        port = Ports.free();
        main = CamRelayOnSimulator.start(simulator, streams, port, Map.of(
                "camrelay.exports.dir", dir.resolve("exports").toString(), "camrelay.preview.max-viewers", "1"));
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> stream().get("state").asText()
                .equals("STREAMING"));
    }

    @AfterAll
    static void stop() {
        if (main != null) {
            main.stop();
        }
        if (nginx != null) {
            nginx.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    private static JsonNode stream() throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/streams/lobby")).build(), HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    private static HttpResponse<InputStream> preview(String id) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/streams/" + id
                + "/preview.mp4")).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void ffprobeReadsFiveSecondsOfThePreviewAsH264AndAacStartingAtAKeyFrame() throws Exception {
        Path file = dir.resolve("preview.mp4");
        HttpResponse<InputStream> r = preview("lobby");
        long started = System.nanoTime();
        try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[16 * 1024];
            while (System.nanoTime() - started < 5_500_000_000L) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            }
        }
        List<FfProbe.Stream> streams = FfProbe.streamsByPackets(file);
        List<FfProbe.Packet> video = FfProbe.packets(file).stream().filter(p -> p.codecType().equals("video"))
                .toList();

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("video/mp4; codecs=\"avc1.42C01E, mp4a.40.2\"");
        assertThat(streams).extracting(FfProbe.Stream::codecName).containsExactly("h264", "aac");
        assertThat(streams.get(0).width()).isEqualTo(640);
        assertThat(streams.get(0).height()).isEqualTo(360);
        assertThat(video.get(0).key()).as("the first picture is a key frame").isTrue();
        assertThat(video.get(video.size() - 1).dtsMs() - video.get(0).dtsMs()).as("ms of video in 5.5 s of reading")
                .isGreaterThanOrEqualTo(3000);
    }

    @Test
    void aViewerThatNeverReadsIsDroppedWhileTheStreamGoesOnAtNginxAndTheLimitAnswers503() throws Exception {
        try (LogCapture log = LogCapture.capture(); Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", port));
            stuck.getOutputStream().write(("GET /api/streams/lobby/preview.mp4 HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                HttpResponse<InputStream> second = preview("lobby");
                second.body().close();
                return second.statusCode() == 503;
            });
            HttpResponse<byte[]> refused = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/streams/lobby/preview.mp4")).build(), HttpResponse.BodyHandlers.ofByteArray());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> log.count("INFO", "preview viewer") > 0);
            double droppedAfter = (System.nanoTime() - started) / 1e9;
            HttpResponse<InputStream> after = preview("lobby");
            after.body().close();
            Thread.sleep(1000); // the stream's pictures after the drop reach nginx
            JsonNode lobby = stream();

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("stream 'lobby' already has 1 "
                    + "preview viewers, the most camrelay.preview.max-viewers allows: close another preview of it or "
                    + "raise camrelay.preview.max-viewers");
            assertThat(log.text()).contains("stream lobby: preview viewer", "was dropped: it read slower than the "
                    + "stream", "the stream and its destinations went on");
            assertThat(after.statusCode()).as("the dropped viewer's place is free again").isEqualTo(200);
            org.slf4j.LoggerFactory.getLogger(getClass()).info("the stuck viewer was dropped after {} s",
                    droppedAfter);
            assertThat(lobby.get("destinations").get(0).get("droppedFrames").asLong()).isZero();
            assertThat(lobby.get("state").asText()).isEqualTo("STREAMING");
        }
        List<FfProbe.Packet> atNginx = FfProbe.packets(nginx.recordingsOf(KEY).get(0)).stream()
                .filter(p -> p.codecType().equals("video")).toList();
        long largestStep = 0;
        for (int i = 1; i < atNginx.size(); i++) {
            largestStep = Math.max(largestStep, atNginx.get(i).dtsMs() - atNginx.get(i - 1).dtsMs());
        }
        double seconds = (atNginx.get(atNginx.size() - 1).dtsMs() - atNginx.get(0).dtsMs()) / 1000.0;
        assertThat(atNginx.size() / seconds).as("frames per second at nginx, the stuck viewer's time included")
                .isBetween(24.0, 26.0);
        assertThat(largestStep).as("largest step between frames at nginx (ms)").isLessThanOrEqualTo(80);
    }

    @Test
    void anUnknownStreamHasNoPreview() throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/streams/nope/preview.mp4")).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("no stream with id 'nope': GET "
                + "/api/streams lists them");
    }
}
