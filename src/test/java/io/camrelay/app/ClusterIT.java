package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.CuttableLink;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Ports;
import io.camrelay.testing.PublishEvents;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three CamRelay JVMs (the built jar through bin/camrelay) sharing nine streams of the simulator through the real
 * ZooKeeper server (curator-test's TestingServer, in this JVM), publishing to nginx-rtmp, which reports every publish
 * and its end to the millisecond ({@link PublishEvents}): the spread, a node killed with SIGKILL and restarted, and a
 * node cut off from ZooKeeper (a partition: its {@link CuttableLink} goes silent), with its node alert and recovery.
 * ZooKeeper itself stopped is {@code ZooKeeperOutageTest}'s: every node is then cut off as the partition's victim is
 * here (the same SUSPENDED path, which this test proves at nginx), and what is particular to it, the return with the
 * old sessions' nodes still there, is a matter of the gates, which that test runs on the real ZooKeeper server.
 * {@code -Dcamrelay.it.cluster.kills=N} repeats the kill and restart N times and writes the failover times and
 * spreads to target/cluster-failover.txt (the suite runs it once).
 */
class ClusterIT {

    private static final HttpClient HTTP = io.camrelay.testing.TestHttp.client();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LAUNCHER = Path.of(System.getProperty("basedir", "."), "bin", "camrelay")
            .toAbsolutePath();
    private static final Path JAR = Path.of(System.getProperty("camrelay.jar", "target/camrelay.jar")).toAbsolutePath();
    private static final List<String> STREAMS = IntStream.rangeClosed(1, 9).mapToObj(i -> "cam-" + i).toList();
    private static final List<String> NODES = List.of("node-1", "node-2", "node-3");
    private static final int KILLS = Integer.getInteger("camrelay.it.cluster.kills", 1);
    /** The bound: a dead node's streams are published elsewhere within 15 s. */
    private static final long FAILOVER_LIMIT_MS = 15_000;
    /** The bound on a moved stream's gap at the server (unpublished here, published there). */
    private static final long HANDOVER_GAP_LIMIT_MS = 2_000;
    /** The nodes' camrelay.alerts.after: longer than a stream's start, shorter than the partition. */
    private static final Duration ALERTS_AFTER = Duration.ofSeconds(5);

    /** The nodes' homes and logs, kept under target/ for a failure's post-mortem. */
    private Path dir;
    private TestingServer zookeeper;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<String> report = new ArrayList<>();
    /** The nodes' alert webhook, and the alerts it got (node alerts: stream null). */
    private HttpServer webhook;
    private final List<JsonNode> alerts = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() throws IOException {
        nodes.values().forEach(Node::kill);
        nodes.values().forEach(n -> n.link.close());
        if (zookeeper != null) {
            zookeeper.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void nineStreamsSpreadFailOverRebalanceAndSurviveAPartitionWithNeverTwoPublishers() throws Exception {
        assertThat(JAR).as("the built jar (mvn package)").exists();
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cluster-it-");
        // tick 500 ms: the 10 s session timeout is within its 1-10 s bounds, and sessions expire on time to 0.5 s
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/alerts", exchange -> {
            alerts.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        try (XProtectSimulator simulator = XProtectSimulator.builder().build().start();
             PublishEvents events = new PublishEvents(); NginxRtmp nginx = NginxRtmp.start(events.url())) {
            Path streamsFile = dir.resolve("streams.yaml");
            Files.writeString(streamsFile, "streams: []\n");
            for (String id : NODES) {
                nodes.put(id, new Node(id, simulator, streamsFile).start());
            }
            for (Node n : nodes.values()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> n.log().contains("cluster: members "
                        + String.join(", ", NODES)));
            }
            // every node knows every member before the streams exist: the first spread moves nothing
            Files.writeString(streamsFile, streamsYaml(nginx));
            Map<String, String> owners = awaitSpread(Set.copyOf(NODES));
            for (String s : STREAMS) {
                await().atMost(Duration.ofSeconds(20)).until(() -> events.publishes(s, 0).size() == 1);
            }
            report.add("start: " + counts(owners));
            for (Node n : nodes.values()) {
                assertThat(n.health()).as("/observe/health of " + n.id + ", standby for 6 of 9 streams")
                        .isEqualTo(200);
                assertThat(n.streams()).as("every node shows every stream").hasSize(9)
                        .allSatisfy(s -> assertThat(s.path("owner").asText()).isIn(NODES));
                assertThat(n.streams().stream().filter(s -> s.path("state").asText().equals("STANDBY")).count())
                        .isEqualTo(6);
            }

            List<Long> failovers = new ArrayList<>();
            for (int k = 0; k < KILLS; k++) {
                owners = killAndRestart(NODES.get(k % NODES.size()), owners, events, failovers);
            }

            partitioned(NODES.get(KILLS % NODES.size()), owners, events);

            assertThat(events.concurrentPublishers()).as("two publishers of one name at once").isEmpty();
            assertThat(nginx.errorLog()).doesNotContain("already publishing");
            report.add(0, "failover ms (each stream of the killed node, " + KILLS + " kill(s)): min "
                    + failovers.stream().mapToLong(l -> l).min().orElse(-1) + ", median " + median(failovers)
                    + ", max " + failovers.stream().mapToLong(l -> l).max().orElse(-1));
        } finally {
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "cluster-failover.txt"), report);
            report.forEach(System.out::println);
        }
    }

    /** Kills {@code victim} with SIGKILL, checks the failover, starts it again and checks the rebalance. */
    private Map<String, String> killAndRestart(String victim, Map<String, String> owners, PublishEvents events,
                                               List<Long> failovers) throws Exception {
        List<String> orphans = owners.entrySet().stream().filter(e -> e.getValue().equals(victim))
                .map(Map.Entry::getKey).toList();
        Map<String, Integer> before = new HashMap<>();
        STREAMS.forEach(s -> before.put(s, events.publishes(s, 0).size()));
        long killedAt = events.now();
        nodes.get(victim).kill();

        for (String s : orphans) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !events.publishes(s, killedAt).isEmpty());
            long failover = events.publishes(s, killedAt).get(0).atMillis() - killedAt;
            failovers.add(failover);
            assertThat(failover).as("failover of " + s + " (ms)").isLessThanOrEqualTo(FAILOVER_LIMIT_MS);
        }
        Set<String> live = NODES.stream().filter(n -> !n.equals(victim)).collect(Collectors.toSet());
        Map<String, String> failedOver = awaitSpread(live);
        for (String s : STREAMS) {
            if (!orphans.contains(s)) {
                assertThat(failedOver.get(s)).as(s + " stays where it was").isEqualTo(owners.get(s));
                assertThat(events.publishes(s, 0)).as(s + " untouched: still its one publish").hasSize(before.get(s));
            }
        }
        report.add("kill " + victim + ": its " + orphans.size() + " streams published again after "
                + failovers.subList(failovers.size() - orphans.size(), failovers.size()) + " ms; spread "
                + counts(failedOver));

        long restartedAt = events.now();
        nodes.get(victim).start();
        Map<String, String> rebalanced = awaitSpread(Set.copyOf(NODES));
        List<Long> gaps = new ArrayList<>();
        for (String s : STREAMS) {
            if (!rebalanced.get(s).equals(failedOver.get(s))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !events.publishes(s, restartedAt).isEmpty());
                long published = events.publishes(s, restartedAt).get(0).atMillis();
                long gap = published - events.lastEnd(s, published).orElseThrow();
                gaps.add(gap);
                assertThat(gap).as("handover gap of " + s + " (ms)").isLessThanOrEqualTo(HANDOVER_GAP_LIMIT_MS);
            }
        }
        assertThat(gaps).as("streams moved back to " + victim).hasSize(3);
        report.add("restart " + victim + ": " + gaps.size() + " streams moved, gaps " + gaps + " ms; spread "
                + counts(rebalanced));
        return rebalanced;
    }

    /**
     * {@code victim}'s link to ZooKeeper goes silent (no close, no reset) past the session timeout: it stops its
     * streams on its own before their latches expire, the others publish them only after that; after
     * camrelay.alerts.after it alerts that it sees no owner for any stream, and once the link is back it joins again
     * with a new session, gets its share back and posts its recovery (docs/cluster.md, "Timing").
     */
    private void partitioned(String victim, Map<String, String> owners, PublishEvents events) throws Exception {
        List<String> orphans = owners.entrySet().stream().filter(e -> e.getValue().equals(victim))
                .map(Map.Entry::getKey).toList();
        Map<String, Integer> before = new HashMap<>();
        STREAMS.forEach(s -> before.put(s, events.publishes(s, 0).size()));
        int alertsBefore = alerts.size();
        long cutAt = events.now();
        nodes.get(victim).link.cut();
        List<Long> stops = new ArrayList<>();
        List<Long> takeovers = new ArrayList<>();
        for (String s : orphans) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !events.publishes(s, cutAt).isEmpty());
            long taken = events.publishes(s, cutAt).get(0).atMillis();
            long stopped = events.lastEnd(s, taken).orElseThrow();
            assertThat(stopped).as(s + ": the cut-off node unpublished after the cut").isGreaterThanOrEqualTo(cutAt);
            stops.add(stopped - cutAt);
            takeovers.add(taken - cutAt);
            assertThat(taken - cutAt).as("takeover of " + s + " (ms)").isLessThanOrEqualTo(FAILOVER_LIMIT_MS);
        }
        Set<String> live = NODES.stream().filter(n -> !n.equals(victim)).collect(Collectors.toSet());
        Map<String, String> failedOver = awaitSpread(live);
        for (String s : STREAMS) {
            if (!orphans.contains(s)) {
                assertThat(events.publishes(s, 0)).as(s + " untouched by the partition").hasSize(before.get(s));
            }
        }
        report.add("partition " + victim + ": it unpublished its streams after " + stops + " ms, the others published"
                + " them after " + takeovers + " ms; spread " + counts(failedOver));

        await().atMost(ALERTS_AFTER.plusSeconds(10)).until(() -> !nodeAlerts(alertsBefore, false).isEmpty());
        nodes.get(victim).link.heal();
        Map<String, String> rejoined = awaitSpread(Set.copyOf(NODES));
        for (String s : STREAMS) {
            await().atMost(Duration.ofSeconds(10)).until(() -> events.publishedNow(s));
        }
        await().atMost(ALERTS_AFTER.plusSeconds(10)).until(() -> !nodeAlerts(alertsBefore, true).isEmpty());
        List<JsonNode> nodeAlerts = alerts.subList(alertsBefore, alerts.size()).stream()
                .filter(a -> a.get("stream").isNull()).toList();
        assertThat(nodeAlerts).as("node alerts of the partition: the victim's, once down and once recovered")
                .extracting(a -> a.get("node").asText()).containsExactly(victim, victim);
        assertThat(nodeAlerts.get(0).get("lastError").asText()).contains("sees no owner for any stream: it cannot"
                + " reach the cluster (ZooKeeper at 127.0.0.1:");
        assertThat(nodeAlerts.get(1).get("text").asText()).contains("sees the cluster (ZooKeeper at");
        report.add("heal " + victim + ": spread " + counts(rejoined) + "; its node alert and recovery posted");
    }

    /** The node alerts from the {@code from}-th alert on: the recoveries ({@code recovered}) or that nodes are down. */
    private List<JsonNode> nodeAlerts(int from, boolean recovered) {
        return alerts.subList(from, alerts.size()).stream()
                .filter(a -> a.get("stream").isNull() && a.get("lastError").isNull() == recovered).toList();
    }

    /**
     * Waits until every node shows every stream with the same one owner, each of {@code live} streams 3 (±1) of them
     * and no other node any; returns the owners.
     */
    private Map<String, String> awaitSpread(Set<String> live) {
        Map<String, String>[] last = new Map[1];
        await().ignoreExceptions().alias("one owner per stream, " + live + " 3 (±1) each (nodes' logs: " + dir + ")").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Map<String, String> agreed = null;
            for (String id : live) {
                Map<String, String> seen = new TreeMap<>();
                for (JsonNode s : nodes.get(id).streams()) {
                    boolean here = !s.path("state").asText().equals("STANDBY");
                    String owner = s.path("owner").asText(null);
                    if (owner == null || here != owner.equals(id)) {
                        return false;
                    }
                    seen.put(s.path("id").asText(), owner);
                }
                if (seen.size() != STREAMS.size() || agreed != null && !agreed.equals(seen)) {
                    return false;
                }
                agreed = seen;
            }
            Map<String, Long> counts = counts(agreed);
            long min = counts.values().stream().mapToLong(c -> c).min().orElse(0);
            long max = counts.values().stream().mapToLong(c -> c).max().orElse(0);
            last[0] = agreed;
            return counts.keySet().equals(live) && max - min <= 1;
        });
        return last[0];
    }

    private static Map<String, Long> counts(Map<String, String> owners) {
        return owners.values().stream().collect(Collectors.groupingBy(o -> o, TreeMap::new, Collectors.counting()));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
    }

    private static String streamsYaml(NginxRtmp nginx) {
        StringBuilder yaml = new StringBuilder("streams:\n");
        for (String s : STREAMS) {
            yaml.append("  - id: ").append(s).append("\n    name: ").append(s)
                    .append("\n    camera: Demo Camera\n    url: ").append(nginx.url(s)).append('\n');
        }
        return yaml.toString();
    }

    /** One CamRelay JVM, as an operator runs it (bin/camrelay), in its own working directory. */
    private final class Node {
        final String id;
        private final XProtectSimulator simulator;
        private final Path streamsFile;
        private final int port = Ports.free();
        private final Path home;
        /** Its way to ZooKeeper, which a partition cuts. */
        private final CuttableLink link = CuttableLink.to("127.0.0.1", zookeeper.getPort());
        private Process process;
        private int starts;

        Node(String id, XProtectSimulator simulator, Path streamsFile) throws IOException {
            this.id = id;
            this.simulator = simulator;
            this.streamsFile = streamsFile;
            this.home = Files.createDirectories(dir.resolve(id));
        }

        Node start() throws IOException {
            starts++;
            ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString()).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(home.resolve("camrelay-" + starts + ".log").toFile());
            Map<String, String> env = pb.environment();
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.remove("CAMRELAY_JAVA_OPTS");
            env.put("CAMRELAY_JAR", JAR.toString());
            env.put("CAMRELAY_STATUS_HTTP", Integer.toString(port));
            env.put("CAMRELAY_XPROTECT_URL", simulator.baseUrl());
            env.put("CAMRELAY_XPROTECT_USERNAME", simulator.username());
            env.put("CAMRELAY_XPROTECT_PASSWORD", simulator.password());
            env.put("CAMRELAY_STREAMS_FILE", streamsFile.toString());
            env.put("CAMRELAY_STREAMS_FROM_XPROTECT", "false");
            env.put("CAMRELAY_STREAMS_POLL_INTERVAL", "1s");
            env.put("CAMRELAY_CLUSTER_TYPE", "zookeeper");
            env.put("CAMRELAY_CLUSTER_ZOOKEEPER_CONNECT", link.address());
            env.put("CAMRELAY_CLUSTER_NODE_ID", id);
            env.put("CAMRELAY_ALERTS_WEBHOOK_URL", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts");
            env.put("CAMRELAY_ALERTS_AFTER", ALERTS_AFTER.toSeconds() + "s");
            process = pb.start();
            return this;
        }

        /** SIGKILL: the JVM dies at once, its ZooKeeper session is left to expire. */
        void kill() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        String log() throws IOException {
            return Files.readString(home.resolve("camrelay-" + starts + ".log"));
        }

        List<JsonNode> streams() throws Exception {
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(get("/api/streams").body()).forEach(out::add);
            return out;
        }

        int health() throws Exception {
            return get("/observe/health").statusCode();
        }

        private HttpResponse<String> get(String path) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
