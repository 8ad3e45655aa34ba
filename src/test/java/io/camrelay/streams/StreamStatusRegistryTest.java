package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StreamStatusRegistryTest {

    private static final String KEY = "abcd-efgh-ijkl-mnop";
    private final AtomicLong monotonic = new AtomicLong(1_000_000);
    private final StreamStatusRegistry registry = new StreamStatusRegistry(
            Clock.fixed(Instant.parse("2026-11-21T10:00:00.750Z"), ZoneOffset.UTC), monotonic::get);
    private final ObjectMapper json = StreamStatusRegistry.jsonMapper();

    private StreamDefinition lobby() {
        return new StreamDefinition("lobby", "Lobby to YouTube", "Lobby", null, true,
                List.of(new Destination("rtmps://a.rtmps.youtube.com/live2/" + KEY, false),
                        new Destination("output/lobby.flv", false)), StreamSource.FILE);
    }

    /** Feeds 25 fps, 2 s GOP, 20 000 bytes per frame for {@code seconds}. */
    private void feed(StreamTracker t, int seconds, long gopMs) {
        for (int i = 0; i < seconds * 25; i++) {
            long pictureMs = 1_700_000_000_000L + i * 40L;
            t.onFrame(20_000, pictureMs % gopMs == 0, pictureMs);
            monotonic.addAndGet(40);
        }
    }

    /** The lobby stream, STREAMING, its ImageServer session about to deliver its first picture. */
    private StreamTracker streamingLobby() {
        StreamTracker t = registry.define(lobby());
        t.state(StreamState.STREAMING, null);
        t.sourceSessionStreaming();
        return t;
    }

    @Test
    void aRecordersBufferedGopAtAReconnectDoesNotShowAsAHigherFrameRate() {
        StreamTracker t = streamingLobby();
        feed(t, 10, 2000);
        t.sourceLost("recorder tcp://rec1:7563 closed the connection");
        t.sourceSessionStreaming(); // its first picture is the head of the recorder's buffered GOP
        for (int i = 0; i < 50; i++) {
            t.onFrame(20_000, i == 0, 1_700_000_100_000L + i * 40L); // 2 s of pictures at once
        }
        feed(t, 3, 2000);

        StreamStatus status = registry.snapshot("lobby").orElseThrow();
        assertThat(status.fps()).as("the camera's 25 fps, not the burst's").isEqualTo(25.0);
        assertThat(status.bitrateKbps()).isEqualTo(4000);
        assertThat(status.sourceReconnects()).isEqualTo(1);
    }

    @Test
    void aSessionsFirstSecondIsNotShownAsItsFrameRate() {
        StreamTracker t = streamingLobby();
        feed(t, 1, 2000);
        assertThat(registry.snapshot("lobby").orElseThrow().fps()).as("nothing counted yet").isNull();
        feed(t, 2, 2000);
        assertThat(registry.snapshot("lobby").orElseThrow().fps()).isEqualTo(25.0);
    }

    @Test
    void serializesEveryContractFieldWithItsType() throws Exception {
        StreamTracker t = registry.define(lobby());
        t.camera("638bc8f1-cf28-4329-b8e6-5bba37bdb48f", "Lobby");
        t.videoFormat("H264", 1920, 1080);
        t.state(StreamState.STREAMING, null);
        t.destinations().forEach(d -> d.state(StreamState.STREAMING, null));
        feed(t, 6, 2000);
        t.destinations().get(0).onFrameSent(1234);

        JsonNode node = json.readTree(json.writeValueAsString(registry.snapshot("lobby").orElseThrow()));

        assertThat(node.fieldNames()).toIterable().containsExactly("id", "name", "cameraId", "cameraName", "state",
                "since", "source", "codec", "width", "height", "fps", "bitrateKbps", "keyframeIntervalMs", "framesIn",
                "restarts", "lastError", "destinations", "warnings", "sourceReconnects", "sourceLastError",
                "holdingSince", "skippedPictures", "nextStart", "owner");
        assertThat(node.get("nextStart").isNull()).as("present, null when not SCHEDULED").isTrue();
        assertThat(node.get("owner").isNull()).as("present, null without a cluster").isTrue();
        assertThat(node.get("sourceReconnects").isIntegralNumber()).isTrue();
        assertThat(node.get("sourceLastError").isNull()).isTrue();
        assertThat(node.get("holdingSince").isNull()).isTrue();
        assertThat(node.get("skippedPictures").asLong()).isZero();
        assertThat(node.get("id").asText()).isEqualTo("lobby");
        assertThat(node.get("state").asText()).isEqualTo("STREAMING");
        assertThat(node.get("since").asText()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(node.get("source").asText()).isEqualTo("file");
        assertThat(node.get("width").isInt()).isTrue();
        assertThat(node.get("fps").isDouble()).isTrue();
        assertThat(node.get("fps").asDouble()).isEqualTo(25.0);
        assertThat(node.get("bitrateKbps").isIntegralNumber()).isTrue();
        assertThat(node.get("bitrateKbps").asLong()).isEqualTo(4000);
        assertThat(node.get("keyframeIntervalMs").asLong()).isEqualTo(2000);
        assertThat(node.get("framesIn").asLong()).isEqualTo(150);
        assertThat(node.get("lastError").isNull()).isTrue();
        assertThat(node.get("warnings").isArray()).isTrue();
        JsonNode d = node.get("destinations").get(0);
        assertThat(d.fieldNames()).toIterable().containsExactly("url", "state", "framesSent", "bytesSent",
                "droppedFrames", "reconnects", "lastError", "publishes", "holdingSince");
        assertThat(d.get("publishes").isIntegralNumber()).isTrue();
        assertThat(d.get("holdingSince").isNull()).isTrue();
        assertThat(d.get("url").asText()).isEqualTo("rtmps://a.rtmps.youtube.com/live2/****");
        assertThat(d.get("bytesSent").asLong()).isEqualTo(1234);
    }

    @Test
    void measurementsAreNullBeforeTheFirstFrame() throws Exception {
        registry.define(lobby());
        JsonNode node = json.readTree(json.writeValueAsString(registry.snapshot().get(0)));
        for (String field : List.of("cameraId", "codec", "width", "height", "fps", "bitrateKbps",
                "keyframeIntervalMs")) {
            assertThat(node.get(field).isNull()).as(field).isTrue();
        }
    }

    @Test
    void aStreamIsStreamingOnlyWhenEveryDestinationIs() {
        StreamTracker t = registry.define(lobby());
        t.state(StreamState.STREAMING, null);
        t.destinations().get(1).state(StreamState.STREAMING, null);
        assertThat(t.currentState()).isEqualTo(StreamState.STARTING);

        t.destinations().get(0).onReconnecting("connection reset by rtmps://a.rtmps.youtube.com/live2/" + KEY);
        assertThat(t.currentState()).isEqualTo(StreamState.RECONNECTING);

        t.destinations().get(0).state(StreamState.STREAMING, null);
        assertThat(t.currentState()).isEqualTo(StreamState.STREAMING);
        assertThat(registry.snapshot("lobby").orElseThrow().destinations().get(0).reconnects()).isEqualTo(1);
    }

    @Test
    void warnsAboutAKeyFrameIntervalYouTubeRejects() {
        StreamTracker t = registry.define(lobby());
        t.state(StreamState.STREAMING, null);
        feed(t, 30, 14_600 / 40 * 40);
        assertThat(registry.snapshot("lobby").orElseThrow().warnings()).containsExactly("key-frame interval 14.6 s:"
                + " YouTube requires 4 s or less — set the camera's GOP / I-frame interval to 2 s in the Management"
                + " Client");
    }

    @Test
    void aProblemShowsErrorWithItsReasonMasked() {
        registry.problem(new StreamProblem("bad", "Bad", "cam", StreamSource.FILE,
                "config/streams.yaml line 3: 'rtmpx://h/app/" + KEY + "' is not an rtmp URL"));
        StreamStatus s = registry.snapshot("bad").orElseThrow();
        assertThat(s.state()).isEqualTo(StreamState.ERROR);
        assertThat(s.lastError()).contains("rtmpx://h/app/****").doesNotContain(KEY);
    }

    @Test
    void aFailedRouteCountsARestartAndShowsTheMaskedReason() {
        registry.define(lobby()).state(StreamState.STREAMING, null);
        registry.routeFailed("lobby", "NetStream.Publish.BadName from rtmps://a.rtmps.youtube.com/live2/" + KEY);
        StreamStatus s = registry.snapshot("lobby").orElseThrow();
        assertThat(s.state()).isEqualTo(StreamState.ERROR);
        assertThat(s.restarts()).isEqualTo(1);
        assertThat(s.lastError()).endsWith("live2/****");
    }

    @Test
    void aDisabledDefinitionIsDisabled() {
        registry.define(lobby().withEnabled(false));
        assertThat(registry.snapshot("lobby").orElseThrow().state()).isEqualTo(StreamState.DISABLED);
    }

    @Test
    void noSecretAppearsInTheJson() throws Exception {
        StreamTracker t = registry.define(new StreamDefinition("fb", "Facebook", "cam", null, true,
                List.of(new Destination("rtmps://live-api-s.facebook.com:443/rtmp/FB-1-0-" + KEY + "?s_bl=1&a=" + KEY,
                        true)), StreamSource.XPROTECT));
        t.state(StreamState.ERROR, "publish refused by rtmps://live-api-s.facebook.com:443/rtmp/FB-1-0-" + KEY);
        t.destinations().get(0).state(StreamState.ERROR, "NetStream.Publish.BadName for rtmps://h/rtmp/" + KEY);
        assertThat(json.writeValueAsString(registry.snapshot())).doesNotContain(KEY).contains("****");
    }

    @Test
    void notifiesListenersOfStateChanges() {
        List<String> seen = new ArrayList<>();
        registry.addListener((status, before) -> seen.add(before + "->" + status.state()));
        StreamTracker t = registry.define(lobby());
        t.state(StreamState.STARTING, null);
        t.state(StreamState.STARTING, null);
        t.state(StreamState.ERROR, "camera unknown");
        assertThat(seen).containsExactly("STOPPED->STARTING", "STARTING->ERROR");
    }

    @Test
    void countsEveryFrameFedFromManyThreads() throws Exception {
        StreamTracker t = registry.define(lobby());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread th = new Thread(() -> {
                for (int n = 0; n < 10_000; n++) {
                    t.onFrame(100, false, n);
                    t.destinations().get(0).onFrameSent(100);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        StreamStatus s = registry.snapshot("lobby").orElseThrow();
        assertThat(s.framesIn()).isEqualTo(40_000);
        assertThat(s.destinations().get(0).bytesSent()).isEqualTo(4_000_000);
    }
}
