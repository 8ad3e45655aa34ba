package io.camrelay.web;

import io.camrelay.streams.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StatusHttpTest {

    private static final String KEY = "zz-very-secret-key";
    private static final StreamStatusRegistry REGISTRY = new StreamStatusRegistry();
    private static Main main;
    private static int port;
    private static final HttpClient HTTP = io.camrelay.testing.TestHttp.client();

    @BeforeAll
    static void startServer() throws Exception {
        port = AvailablePortFinder.getNextAvailable();
        main = new Main();
        main.bind(StreamStatusRegistry.BEAN_NAME, REGISTRY);
        main.configure().addRoutesBuilder(new StatusRoutes());
        main.addInitialProperty("camrelay.status.host", "127.0.0.1");
        main.addInitialProperty("camrelay.status.port", Integer.toString(port));
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "{{camrelay.status.host}}");
        main.addInitialProperty("camel.server.port", "{{camrelay.status.port}}");
        main.addInitialProperty("camel.metrics.enabled", "true");
        main.addMainListener(new GuardListener());
        main.start();
        StreamsObservability.install(main.getCamelContext(), REGISTRY);
        StreamTracker ok = REGISTRY.define(new StreamDefinition("lobby", "Lobby", "cam", null, true,
                List.of(new Destination("rtmps://a.rtmps.youtube.com/live2/" + KEY, false)), StreamSource.FILE));
        ok.state(StreamState.STREAMING, null);
        ok.destinations().get(0).state(StreamState.STREAMING, null);
    }

    @AfterAll
    static void stopServer() throws Exception {
        main.stop();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsEveryStreamAsAJsonArrayWithoutKeys() throws Exception {
        HttpResponse<String> r = get("/api/streams");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode array = StreamStatusRegistry.jsonMapper().readTree(r.body());
        assertThat(array.isArray()).isTrue();
        assertThat(array.get(0).get("id").asText()).isEqualTo("lobby");
        assertThat(array.get(0).get("destinations").get(0).get("url").asText())
                .isEqualTo("rtmps://a.rtmps.youtube.com/live2/****");
        assertThat(r.body()).doesNotContain(KEY);
    }

    @Test
    void servesOneStreamByIdAnd404ForAnUnknownId() throws Exception {
        HttpResponse<String> one = get("/api/streams/lobby");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(StreamStatusRegistry.jsonMapper().readTree(one.body()).get("state").asText())
                .isEqualTo("STREAMING");
        HttpResponse<String> none = get("/api/streams/nope");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("no stream with id 'nope'");
    }

    @Test
    void servesTheConsoleAtTheRootWithNothingLoadedFromElsewhere() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(r.body()).contains("/api/streams", "/api/history", "/preview.mp4", "/api/exports")
                .doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("@import").doesNotContain("url(http");
    }

    @Test
    void theHistoryHasTheStreamsSamples() throws Exception {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> StreamStatusRegistry.jsonMapper().readTree(get("/api/history").body()).get("lobby")
                        .get("samples").size() > 0);
        var history = StreamStatusRegistry.jsonMapper().readTree(get("/api/history").body());
        assertThat(history.get("lobby").get("samples").size()).isPositive();
        assertThat(history.get("lobby").get("changes").isArray()).isTrue();
    }

    @Test
    void healthIsDownWhileAStreamIsInErrorAndNamesItWithoutTheKey() throws Exception {
        assertThat(get("/observe/health").statusCode()).isEqualTo(200);
        REGISTRY.problem(new StreamProblem("broken", "Broken", "cam", StreamSource.FILE,
                "config/streams.yaml line 3, field 'url': 'rtmpx://h/app/" + KEY + "' is not an rtmp URL"));
        try {
            HttpResponse<String> r = get("/observe/health?exposureLevel=full");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("\"DOWN\"").contains("stream:broken").contains("stream:lobby")
                    .doesNotContain(KEY);
        } finally {
            REGISTRY.remove("broken");
        }
        assertThat(get("/observe/health").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsCarryStreamAndMaskedUrlLabelsButNoKey() throws Exception {
        REGISTRY.stream("lobby").onFrame(1000, true, 0);
        HttpResponse<String> r = get("/observe/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .contains("camrelay_stream_state{state=\"STREAMING\",streamId=\"lobby\"} 1.0")
                .contains("camrelay_stream_frames_in_total{streamId=\"lobby\"} 1.0")
                .contains("camrelay_destination_bytes_sent_total{destination=\"0\",streamId=\"lobby\","
                        + "url=\"rtmps://a.rtmps.youtube.com/live2/****\"}")
                .doesNotContain(KEY);
    }

    @Test
    void metricsCountSkippedPicturesSourceReconnectsAndPublishes() throws Exception {
        var lobby = REGISTRY.stream("lobby");
        lobby.onPictureSkipped();
        lobby.sourceLost("recorder closed the connection");
        lobby.sourceSessionStreaming();
        lobby.destinations().get(0).onPublished();
        String body = get("/observe/metrics").body();
        assertThat(body).containsPattern("camrelay_stream_skipped_pictures_total\\{streamId=\"lobby\"} [1-9]")
                .containsPattern("camrelay_stream_source_reconnects_total\\{streamId=\"lobby\"} [1-9]")
                .containsPattern("camrelay_destination_publishes_total\\{destination=\"0\",streamId=\"lobby\","
                        + "url=\"rtmps://a.rtmps.youtube.com/live2/\\*\\*\\*\\*\"} [1-9]");
    }
}
