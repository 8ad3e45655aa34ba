package io.camrelay.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.camrelay.streams.Destination;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamGate.Verdict;
import io.camrelay.streams.StreamSource;
import io.camrelay.streams.StreamState;
import io.camrelay.streams.StreamStatusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node alert (docs/design.md §14): in a cluster a stream nobody streams is STANDBY on every node, which alerts
 * leave alone, so a node that cannot reach the cluster (ZooKeeper down, or this node cut off) said nothing while
 * every broadcast was off. The alerting service on the real status registry, posting to a webhook receiver over
 * HTTP, with {@code after} = 1 s.
 */
class NodeAlertTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZOOKEEPER = "ZooKeeper at zk1:2181";

    private final List<JsonNode> posts = new CopyOnWriteArrayList<>();
    private final StreamStatusRegistry registry = new StreamStatusRegistry();
    private HttpServer receiver;
    private StreamAlerts alerts;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            posts.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        alerts = new StreamAlerts(registry, Duration.ofSeconds(1), new StreamAlerts.Cluster("relay-1", ZOOKEEPER),
                () -> false, Clock.systemUTC(), AlertTicks.onThread("alerts-test"),
                new WebhookSender(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")));
    }

    @AfterEach
    void stop() {
        alerts.stop();
        receiver.stop(0);
    }

    @Test
    void aNodeThatSeesNoOwnerForAnyStreamAlertsOnceAboutItselfAndRecoversWhenItSeesOwnersAgain() throws Exception {
        for (String id : List.of("cam-1", "cam-2")) {
            registry.define(definition(id)).gate(Verdict.closed(StreamState.STANDBY,
                    "no node streams it yet (" + ZOOKEEPER + ")", null, null));
        }
        alerts.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> !posts.isEmpty());
        Thread.sleep(1_500); // longer than after: nothing else comes, no alert per stream
        assertThat(posts).hasSize(1);
        JsonNode down = posts.get(0);
        assertThat(down.get("node").asText()).isEqualTo("relay-1");
        assertThat(down.get("stream").isNull()).as("a node alert is about no one stream").isTrue();
        assertThat(down.get("lastError").asText()).isEqualTo("node relay-1 sees no owner for any stream: it cannot"
                + " reach the cluster (" + ZOOKEEPER + "), or no node can");
        assertThat(down.get("text").asText()).startsWith("CamRelay: node relay-1 sees no owner for any stream")
                .endsWith("; 2 stream(s) STANDBY, published by no node it can see");

        // the cluster is back: another node leads cam-1, this one cam-2
        registry.stream("cam-1").gate(Verdict.closed(StreamState.STANDBY, "node relay-2 streams it", null,
                "relay-2"));
        registry.stream("cam-2").gate(Verdict.openOwnedBy("relay-1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> posts.size() == 2);
        assertThat(posts.get(1).get("text").asText()).startsWith("CamRelay: node relay-1 sees the cluster ("
                + ZOOKEEPER + ") again since ");
        assertThat(posts.get(1).get("lastError").isNull()).isTrue();
    }

    @Test
    void aNodeThatSeesAnotherNodeStreamAStreamSendsNoNodeAlert() throws Exception {
        registry.define(definition("cam-1")).gate(Verdict.closed(StreamState.STANDBY, "node relay-2 streams it",
                null, "relay-2"));
        registry.define(definition("cam-2")).gate(Verdict.closed(StreamState.STANDBY,
                "no node streams it yet (" + ZOOKEEPER + ")", null, null));
        alerts.start();

        Thread.sleep(2_500); // two afters: an orphan waits for its node, the cluster is there
        assertThat(posts).isEmpty();
    }

    private static StreamDefinition definition(String id) {
        return new StreamDefinition(id, id, "camera", null, true,
                List.of(new Destination("output/" + id + ".flv", false)), StreamSource.FILE);
    }
}
