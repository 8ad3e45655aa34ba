package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts (docs/design.md §14) as a chat channel sees them: CamRelay as an application posting to a webhook receiver on
 * loopback (the JDK's HTTP server, answering as Slack does: 200 "ok"), the simulator as XProtect, nginx-rtmp. The
 * issue's two minutes are {@code camrelay.alerts.after = 3s} here, its flapping every 10 s a flap every 1.5 s: the
 * episode arithmetic is the same (AlertEpisodesTest has the issue's own figures).
 */
class AlertsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAMERA = XProtectSimulator.DEMO_CAMERA_ID;
    private static final List<String> FIELDS = List.of("stream", "name", "state", "since", "lastError", "owner",
            "node", "text");

    private static NginxRtmp nginx;
    private static XProtectSimulator simulator;

    /** A POST the receiver got, with when. */
    record Post(Instant at, String contentType, JsonNode body, String raw) {
    }

    @TempDir
    Path dir;
    private HttpServer receiver;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger refuseNext = new AtomicInteger();
    private final List<Instant> refusedAt = new CopyOnWriteArrayList<>();
    private Main main;
    private int port;

    @BeforeAll
    static void startServers() throws Exception {
        nginx = NginxRtmp.start();
        simulator = XProtectSimulator.builder().build().start();
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
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/services/T000/B000/hook-secret", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            int status;
            if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refusedAt.add(Instant.now());
                status = 503;
            } else {
                String raw = new String(in, StandardCharsets.UTF_8);
                posts.add(new Post(Instant.now(), exchange.getRequestHeaders().getFirst("Content-Type"),
                        JSON.readTree(raw), raw));
                status = 200;
            }
            byte[] out = (status == 200 ? "ok" : "unavailable").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopAll() {
        if (main != null) {
            main.stop();
        }
        simulator.imageServer().setCameraConnected(CAMERA, true);
        receiver.stop(0);
    }

    @Test
    void aFlappingStreamIsOneEpisodeOnePostWhenDownForAfterAndOneWhenItHasStreamedForAfterAgain() throws Exception {
        startCamRelay("""
                  - id: lobby
                    name: Lobby to YouTube
                    camera: %s
                    url: %s
                """.formatted(CAMERA, nginx.url("lobby-stream-key")));
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> "STREAMING".equals(state("lobby")));
        Thread.sleep(3500); // STREAMING for after: its start (STARTING counts as down) is over without an alert
        assertThat(posts).isEmpty();

        Instant firstLoss = Instant.now();
        for (int i = 0; i < 3; i++) { // down 1.5 s, up 1.5 s: never STREAMING for the 3 s a recovery needs
            simulator.imageServer().setCameraConnected(CAMERA, false);
            Thread.sleep(1500);
            simulator.imageServer().setCameraConnected(CAMERA, true);
            Thread.sleep(1500);
        }
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> "STREAMING".equals(state("lobby")));
        Instant back = Instant.now();
        await().atMost(Duration.ofSeconds(10)).until(() -> posts.size() >= 2);
        Thread.sleep(4000); // a further after: nothing else comes
        assertThat(posts).as("posts of one flapping episode").hasSize(2);

        Post down = posts.get(0);
        assertThat(down.contentType()).startsWith("application/json");
        assertThat(fieldNames(down.body())).containsExactlyElementsOf(FIELDS);
        assertThat(down.body().get("stream").asText()).isEqualTo("lobby");
        assertThat(down.body().get("name").asText()).isEqualTo("Lobby to YouTube");
        assertThat(down.body().get("state").asText()).as("the camera side lost: HOLDING counts as down")
                .isEqualTo("HOLDING");
        Instant downSince = Instant.parse(down.body().get("since").asText());
        assertThat(downSince).isBetween(firstLoss, firstLoss.plusSeconds(2));
        assertThat(Duration.between(downSince, down.at())).as("posted once down for after")
                .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
        assertThat(down.body().get("lastError").asText()).contains("is disconnected from its recorder");
        assertThat(down.body().get("owner").isNull()).isTrue();
        assertThat(down.body().get("node").isNull()).as("no cluster").isTrue();
        assertThat(down.body().get("text").asText()).startsWith("CamRelay: stream 'Lobby to YouTube' (lobby) is down"
                + " (HOLDING) since ").contains("is disconnected from its recorder").doesNotContain("\n");

        Post up = posts.get(1);
        assertThat(fieldNames(up.body())).containsExactlyElementsOf(FIELDS);
        assertThat(up.body().get("state").asText()).isEqualTo("STREAMING");
        assertThat(up.body().get("lastError").isNull()).isTrue();
        Instant upSince = Instant.parse(up.body().get("since").asText());
        assertThat(upSince).as("streaming again since").isBetween(back.minusMillis(1600), back);
        assertThat(Duration.between(upSince, up.at())).as("posted once streaming for after again")
                .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
        assertThat(up.body().get("text").asText()).startsWith("CamRelay: stream 'Lobby to YouTube' (lobby) is"
                + " STREAMING again since ");
        for (Post p : posts) {
            assertThat(p.raw()).as("no stream key in an alert").doesNotContain("lobby-stream-key");
        }
        System.out.printf("alerts: down %s after the loss, recovery %s after it streamed again%n",
                Duration.between(firstLoss, down.at()), Duration.between(upSince, up.at()));
    }

    @Test
    void aReceiverThatIsDownIsRetriedWithBackOffWhileTheStreamsGoOnAndTheKeyStaysMasked() throws Exception {
        int closed = Ports.free();
        refuseNext.set(2);
        startCamRelay("""
                  - id: healthy
                    camera: %s
                    url: %s
                  - id: broken
                    camera: %s
                    url: rtmp://127.0.0.1:%d/live/never-published-key
                  - id: silenced
                    camera: %s
                    url: rtmp://127.0.0.1:%d/live/silenced-key
                    alerts: false
                """.formatted(CAMERA, nginx.url("healthy-key"), CAMERA, closed, CAMERA, closed));
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> "STREAMING".equals(state("healthy")));
        long framesBefore = framesSent("healthy");

        await().atMost(Duration.ofSeconds(20)).until(() -> !posts.isEmpty());
        assertThat(refusedAt).as("503s before the webhook took it").hasSize(2);
        List<Instant> attempts = new ArrayList<>(refusedAt);
        attempts.add(posts.get(0).at());
        Iterator<Instant> it = attempts.iterator();
        Instant previous = it.next();
        List<Duration> gaps = new ArrayList<>();
        while (it.hasNext()) {
            Instant next = it.next();
            gaps.add(Duration.between(previous, next));
            previous = next;
        }
        // Backoff: 1 s, then 2 s, each x0.8..1.2
        assertThat(gaps.get(0)).isBetween(Duration.ofMillis(700), Duration.ofMillis(1500));
        assertThat(gaps.get(1)).isBetween(Duration.ofMillis(1500), Duration.ofMillis(3000));

        JsonNode alert = posts.get(0).body();
        assertThat(alert.get("stream").asText()).isEqualTo("broken");
        assertThat(alert.get("lastError").asText()).contains("rtmp://127.0.0.1:" + closed + "/live/****");
        assertThat(posts.get(0).raw()).doesNotContain("never-published-key");

        Thread.sleep(4000); // silenced has been down as long as broken, and longer than after
        assertThat(posts).as("one alert, none about the silenced stream").extracting(p -> p.body().get("stream")
                .asText()).containsExactly("broken");
        assertThat(state("healthy")).as("the other stream while the webhook failed").isEqualTo("STREAMING");
        assertThat(framesSent("healthy")).isGreaterThan(framesBefore + 100);
        assertThat(nginx.publishes("healthy-key")).isEqualTo(1);
        System.out.printf("alerts: retries after %s%n", gaps);
    }

    private static List<String> fieldNames(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private void startCamRelay(String entries) throws Exception {
        Path streams = dir.resolve("streams.yaml");
        Files.writeString(streams, "streams:\n" + entries);
        port = Ports.free();
        main = CamRelayOnSimulator.start(simulator, streams, port, Map.of("camrelay.alerts.webhook-url",
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/services/T000/B000/hook-secret",
                "camrelay.alerts.after", "3s"));
    }

    private JsonNode stream(String id) throws Exception {
        return io.camrelay.testing.StatusApi.stream(port, id);
    }

    private String state(String id) throws Exception {
        return io.camrelay.testing.StatusApi.state(port, id);
    }

    private long framesSent(String id) throws Exception {
        return stream(id).get("destinations").get(0).get("framesSent").asLong();
    }
}
