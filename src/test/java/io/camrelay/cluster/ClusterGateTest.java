package io.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gate on {@link CuratorClusterService} against the real ZooKeeper server (in this JVM), three nodes in this JVM:
 * the spread, a node leaving and joining, a lost ZooKeeper. The separate-JVM version with the real streams is
 * {@code app.ClusterIT}.
 */
class ClusterGateTest {

    private static final List<String> STREAMS = IntStream.rangeClosed(1, 9).mapToObj(i -> "cam-" + i).toList();
    private static final int SESSION_MS = 4_000;

    private final Publishers publishers = new Publishers();
    private final List<GateNode> nodes = new ArrayList<>();
    private TestingServer zookeeper;

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(GateNode::close);
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    private GateNode node(String id) {
        GateNode n = new GateNode(id, new CuratorClusterService(id, zookeeper.getConnectString(), SESSION_MS,
                "/camrelay"), STREAMS, publishers).start();
        nodes.add(n);
        return n;
    }

    private void startZooKeeper() throws Exception {
        // tick 500 ms: sessions of 1-10 s may be negotiated (2 and 20 ticks)
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
    }

    @Test
    void threeNodesSpreadNineStreamsAndRebalanceWhenOneLeavesAndComesBack() throws Exception {
        startZooKeeper();
        node("a");
        node("b");
        node("c");

        await().atMost(Duration.ofSeconds(20)).until(() -> publishers.counts()
                .equals(Map.of("a", 3, "b", 3, "c", 3)));
        Map<String, String> before = publishers.owners();

        nodes.remove(2).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> publishers.owners().size() == 9);
        assertThat(publishers.counts().values()).containsExactlyInAnyOrder(5, 4);
        before.forEach((stream, owner) -> {
            if (!owner.equals("c")) {
                assertThat(publishers.owners().get(stream)).as(stream + " stays").isEqualTo(owner);
                assertThat(publishers.starts(stream)).as(stream + " published once").isEqualTo(1);
            }
        });

        node("c");
        await().atMost(Duration.ofSeconds(20)).until(() -> publishers.counts()
                .equals(Map.of("a", 3, "b", 3, "c", 3)));
        assertThat(publishers.overlaps()).isEmpty();
    }

    @Test
    void aLostZooKeeperStopsEveryStreamAndItsReturnGivesEachOneOwnerAgain() throws Exception {
        startZooKeeper();
        node("a");
        node("b");
        await().atMost(Duration.ofSeconds(20)).until(() -> publishers.owners().size() == 9);

        zookeeper.stop();
        await().atMost(Duration.ofSeconds(SESSION_MS / 1000 + 2)).until(() -> publishers.owners().isEmpty());
        Thread.sleep(SESSION_MS + 1000); // past the session timeout: the sessions are lost, new ones are made
        zookeeper.restart();

        await().atMost(Duration.ofSeconds(30)).until(() -> publishers.owners().size() == 9
                && publishers.counts().values().stream().allMatch(c -> c >= 4));
        assertThat(publishers.overlaps()).isEmpty();
    }
}
