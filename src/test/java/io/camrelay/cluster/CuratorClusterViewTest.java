package io.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The view's locking against Curator's, on the real ZooKeeper server (curator-test). Curator calls a latch's
 * listeners while it holds the latch's monitor, and they ask the view whether it is disabled and who leads; the
 * cluster gate's thread meanwhile disables views (which closes their latches). A view that held its own monitor
 * while it waited for the latch's deadlocked the two, and with them the reconciler and the connection-state thread:
 * a node cut off from ZooKeeper then kept publishing a stream another node took over (ClusterIT, the partition).
 */
class CuratorClusterViewTest {

    private TestingServer zookeeper;
    private CuratorClusterService service;
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private boolean deadlocked;

    @AfterEach
    void stop() throws Exception {
        if (!deadlocked) {
            service.stop();
        }
        zookeeper.close();
        camel.stop();
    }

    @Test
    void aLatchListenerAskingTheViewNeverWaitsForADisableThatWaitsForTheLatch() throws Exception {
        zookeeper = new TestingServer(true);
        service = new CuratorClusterService("node-1", zookeeper.getConnectString(), 10_000, "/camrelay-test");
        service.setCamelContext(camel);
        service.start();
        CuratorClusterView view = service.getView("stream-cam-1");
        view.setDisabled(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> view.getLocalMember().isLeader());
        LeaderLatch latch = view.latch();

        CountDownLatch latchHeld = new CountDownLatch(1);
        AtomicBoolean askedDisabled = new AtomicBoolean();
        // what Curator's event thread does on a change of leadership: hold the latch, call the view's listener
        Thread curator = new Thread(() -> {
            synchronized (latch) {
                latchHeld.countDown();
                await().atMost(Duration.ofSeconds(10)).until(() -> gateThreadWaitsForTheLatch());
                view.isDisabled();
                view.getLeader();
                view.refresh();
                askedDisabled.set(true);
            }
        }, "curator-event-test");
        curator.setDaemon(true);
        curator.start();
        assertThat(latchHeld.await(10, TimeUnit.SECONDS)).isTrue();
        // what the cluster gate's thread does when the spread gives the stream to another node
        Thread gate = new Thread(() -> view.setDisabled(true), "camrelay-cluster-test");
        gate.setDaemon(true);
        gate.start();

        curator.join(10_000);
        gate.join(10_000);
        deadlocked = curator.isAlive() || gate.isAlive();
        assertThat(askedDisabled).as("the listener's questions answered while a disable waits for the latch").isTrue();
        assertThat(gate.isAlive()).as("the disable finished once the latch was free").isFalse();
        assertThat(view.isDisabled()).isTrue();
        assertThat(view.getLocalMember().isLeader()).as("a disabled view leads nothing").isFalse();
    }

    /** The test's gate thread is blocked on a monitor, which can only be the latch's (inside its close). */
    private static boolean gateThreadWaitsForTheLatch() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("camrelay-cluster-test") && t.getState() == Thread.State.BLOCKED);
    }
}
