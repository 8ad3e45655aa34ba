package io.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code camrelay.cluster.type=kubernetes}: three nodes in this JVM, each on camel-kubernetes' Lease service with the
 * default lease times, against the fabric8 Kubernetes API mock server in CRUD mode (leases and pods stored and
 * versioned as the API server does; the pods' readiness is what the kubelet would report). The spread, a node killed
 * (its pod turns unready, its leases are left behind) and restarted.
 */
class LeaseClusterIT {

    private static final List<String> STREAMS = IntStream.rangeClosed(1, 9).mapToObj(i -> "cam-" + i).toList();
    private static final String NAMESPACE = "relay";
    /** The bound: a dead node's streams are published elsewhere within 15 s. */
    private static final long FAILOVER_LIMIT_MS = 15_000;

    private final Publishers publishers = new Publishers();
    private final Map<String, GateNode> nodes = new HashMap<>();
    private KubernetesMockServer api;
    private NamespacedKubernetesClient client;

    @BeforeEach
    void startApi() {
        api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        api.init();
        client = api.createClient().inNamespace(NAMESPACE);
    }

    @AfterEach
    void stop() {
        nodes.values().forEach(GateNode::close);
        client.close();
        api.destroy();
    }

    private void node(String id) {
        pod(id, true);
        Map<String, String> props = Map.of(ClusterSettings.TYPE, "kubernetes", ClusterSettings.NODE_ID, id,
                ClusterSettings.KUBERNETES_MASTER_URL, client.getMasterUrl().toString(),
                ClusterSettings.KUBERNETES_NAMESPACE, NAMESPACE);
        ClusterSettings settings = ClusterSettings.read(k -> Optional.ofNullable(props.get(k)));
        nodes.put(id, new GateNode(id, new LeaseClusterService(settings), STREAMS, publishers).start());
    }

    /** The pod of node {@code id}, labelled as the sample Deployment labels it, running, and ready or not. */
    private void pod(String id, boolean ready) {
        Pod pod = new PodBuilder().withNewMetadata().withName(id).withNamespace(NAMESPACE)
                .addToLabels("app", "camrelay").endMetadata()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").endCondition().endStatus().build();
        client.pods().resource(pod).createOr(existing -> existing.update());
    }

    @Test
    void nineStreamsSpreadOverThreePodsAndAKilledPodsStreamsMoveWithinFifteenSeconds() {
        node("camrelay-a");
        node("camrelay-b");
        node("camrelay-c");
        // settled: 3/3/3 for longer than the gate waits before it moves a stream (no move pending)
        await().atMost(Duration.ofSeconds(40)).alias("3/3/3, settled")
                .during(Duration.ofMillis(ClusterGate.SETTLE_MS + 1_000)).until(() -> publishers.counts()
                .equals(Map.of("camrelay-a", 3, "camrelay-b", 3, "camrelay-c", 3)));
        Lease lease = client.leases().withName(LeaseClusterService.LEASE_PREFIX + "-stream-cam-1").get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(publishers.owners().get("cam-1"));
        Map<String, String> before = publishers.owners();
        Map<String, Integer> startsBefore = new HashMap<>();
        STREAMS.forEach(s -> startsBefore.put(s, publishers.starts(s)));

        long killedAt = System.nanoTime();
        nodes.remove("camrelay-c").kill();
        pod("camrelay-c", false); // what the kubelet reports once the container died
        await().atMost(Duration.ofSeconds(30)).until(() -> publishers.owners().size() == 9);
        long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("kubernetes failover: " + failoverMs + " ms, spread " + publishers.counts());
        assertThat(failoverMs).as("failover (ms)").isLessThanOrEqualTo(FAILOVER_LIMIT_MS);
        assertThat(publishers.counts().values()).containsExactlyInAnyOrder(5, 4);
        List<String> moved = new ArrayList<>();
        before.forEach((stream, owner) -> {
            if (owner.equals("camrelay-c")) {
                moved.add(stream);
            } else {
                assertThat(publishers.owners().get(stream)).as(stream + " stays").isEqualTo(owner);
                assertThat(publishers.starts(stream)).as(stream + " not restarted").isEqualTo(startsBefore.get(stream));
            }
        });
        assertThat(moved).hasSize(3);

        node("camrelay-c");
        await().atMost(Duration.ofSeconds(30)).until(() -> publishers.counts()
                .equals(Map.of("camrelay-a", 3, "camrelay-b", 3, "camrelay-c", 3)));
        assertThat(publishers.overlaps()).as("two nodes published one stream at once").isEmpty();
    }
}
