package io.camrelay.cluster;

import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamGate;
import io.camrelay.streams.StreamState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelPreemptiveClusterService;
import org.apache.camel.cluster.CamelPreemptiveClusterView;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The cluster as a {@link StreamGate} (docs/cluster.md): each stream is a namespace of a preemptive Camel cluster
 * service, and a stream may run on this node only while this node leads its namespace; elsewhere it is
 * {@code STANDBY} with {@code owner} naming the node that streams it. A node competes only for the streams the
 * {@link StreamSpread} gives it (its other views are disabled), so the streams spread evenly; a stream this node
 * leads but should not is handed over: its destinations unpublish here first, then this node leaves the namespace and
 * the node it is meant for takes it (close-then-publish). A stream nobody takes for {@value #ORPHAN_GRACE_MS} ms is
 * offered to every node. Leadership taken or lost re-checks the stream at once; the spread is re-planned every
 * {@value #BALANCE_INTERVAL_MS} ms and on every change of leader or members, on one thread of its own.
 */
public final class ClusterGate implements StreamGate {

    /** What the gate needs of the streams' outputs (the application's {@code StreamOutputsRegistry}). */
    public interface Outputs {
        /** Whether stream {@code streamId} publishes nothing from this node (no outputs open or still closing). */
        boolean unpublished(String streamId);

        /** Closes the outputs of stream {@code streamId} and waits (bounded) until they unpublished. */
        void closeAndWait(String streamId);
    }

    /** The namespace of the membership view (no stream id is this: ids are a-z, 0-9 and '-'). */
    static final String MEMBERSHIP_NAMESPACE = "members";
    /** The namespace of a stream: one per stream, so one node streams it. */
    static final String NAMESPACE_PREFIX = "stream-";
    /** How often the spread is re-planned at least. */
    static final long BALANCE_INTERVAL_MS = 500;
    /**
     * Membership unchanged this long, and the stream led here this long, before a running stream is moved: a joining
     * node first reads its streams, and a stream just taken was taken on what this node saw a moment ago, which after
     * ZooKeeper's return (the old sessions' members and latches linger for a session timeout) or amid other nodes'
     * changes may be about to change again; moving it then publishes it twice.
     */
    static final long SETTLE_MS = 3_000;
    /** A stream without an owner this long is offered to every node (its planned node may not define it). */
    static final long ORPHAN_GRACE_MS = 5_000;
    /** The orphan grace of a stream this node handed over in the last {@value #MOVE_DAMPING_MS} ms. */
    static final long HANDED_OVER_GRACE_MS = 15_000;
    /** A stream is moved for the spread at most this often (definitions that differ between nodes must not churn). */
    static final long MOVE_DAMPING_MS = 60_000;
    /** How long a handover waits for the destinations to unpublish here before it leaves the namespace anyway. */
    static final long UNPUBLISH_TIMEOUT_MS = 15_000;
    private static final long POLL_MS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(ClusterGate.class);

    private final CamelPreemptiveClusterService service;
    private final String nodeId;
    private final String description;
    private final Outputs outputs;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicBoolean balanceQueued = new AtomicBoolean();
    private volatile Consumer<String> recheck = id -> {
    };
    private volatile ScheduledExecutorService loop;
    /** A view never enabled, whose members are the cluster's, also while no stream is defined. */
    private volatile CamelPreemptiveClusterView membership;
    private List<String> lastMembers = List.of();
    private long membersChangedAt = now();
    /** Counts the changes of the members: a move made before one is no reason to damp the next. */
    private volatile long membersEpoch;

    /**
     * A gate on {@code service}, this node being {@code nodeId}.
     *
     * @param description what the status and the log call the cluster ("ZooKeeper at zk1:2181")
     */
    public ClusterGate(CamelPreemptiveClusterService service, String nodeId, String description, Outputs outputs) {
        this.service = Objects.requireNonNull(service, "service");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.description = Objects.requireNonNull(description, "description");
        this.outputs = Objects.requireNonNull(outputs, "outputs");
    }

    /** One stream's namespace and what this node does with it. */
    private static final class Slot {
        final String streamId;
        final CamelPreemptiveClusterView view;
        /** Handing over: the stream shows STANDBY while its destinations unpublish here. */
        volatile String releasingTo;
        /** The reconciler was told "closed" since the handover began (so it closed the outputs). */
        volatile boolean closedSinceRelease;
        volatile String shownOwner;
        volatile boolean wasLeading;
        /** When this node took the lead of the stream last ({@code -1} while it does not lead it). */
        volatile long ledSince = -1;
        long orphanSince = -1;
        long lastMove = Long.MIN_VALUE / 2;
        /** The members' epoch when this node last handed the stream over. */
        long epochAtMove = -1;

        Slot(String streamId, CamelPreemptiveClusterView view) {
            this.streamId = streamId;
            this.view = view;
        }
    }

    @Override
    public Verdict check(StreamDefinition definition) {
        Slot s = slot(definition.id());
        if (s == null) {
            return Verdict.closed(StreamState.STANDBY, "the cluster (" + description + ") is not available", null,
                    null);
        }
        String to = s.releasingTo;
        if (to != null) {
            s.closedSinceRelease = true;
            return Verdict.closed(StreamState.STANDBY, "handing over to node " + to, null, null);
        }
        if (leads(s)) {
            s.shownOwner = nodeId;
            return Verdict.openOwnedBy(nodeId);
        }
        String owner = leaderOf(s.view);
        s.shownOwner = owner;
        return Verdict.closed(StreamState.STANDBY, owner == null
                ? "no node streams it yet (" + description + ")" : "node " + owner + " streams it", null, owner);
    }

    @Override
    public void onChange(Consumer<String> recheck) {
        this.recheck = Objects.requireNonNull(recheck, "recheck");
    }

    @Override
    public void forget(String streamId) {
        Slot s = slots.remove(streamId);
        if (s != null) {
            try {
                s.view.setDisabled(true);
                service.releaseView(s.view);
            } catch (Exception e) {
                LOG.debug("cluster: releasing the view of stream {}", streamId, e);
            }
        }
    }

    /** The namespace of stream {@code streamId}. */
    static String namespaceOf(String streamId) {
        return NAMESPACE_PREFIX + streamId;
    }

    /**
     * The Camel service that starts the cluster service and the spread with the context, and on stop unpublishes
     * this node's streams before it leaves their namespaces (so the node taking them over is not refused).
     */
    public ServiceSupport lifecycle(CamelContext camel) {
        return new ServiceSupport() {
            @Override
            protected void doStart() throws Exception {
                service.setCamelContext(camel);
                service.start();
                membership = service.getView(MEMBERSHIP_NAMESPACE);
                membership.setDisabled(true);
                membership.addEventListener(new CamelClusterEventListener.Membership() {
                    @Override
                    public void memberAdded(org.apache.camel.cluster.CamelClusterView v, CamelClusterMember m) {
                        requestBalance();
                    }

                    @Override
                    public void memberRemoved(org.apache.camel.cluster.CamelClusterView v, CamelClusterMember m) {
                        requestBalance();
                    }
                });
                ScheduledThreadPoolExecutor l = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "camrelay-cluster");
                    t.setDaemon(true);
                    return t;
                });
                l.scheduleWithFixedDelay(ClusterGate.this::balanceSafely, BALANCE_INTERVAL_MS, BALANCE_INTERVAL_MS,
                        TimeUnit.MILLISECONDS);
                loop = l;
                LOG.info("cluster: {} as node {}", description, nodeId);
            }

            @Override
            protected void doStop() throws Exception {
                ScheduledExecutorService l = loop;
                loop = null;
                if (l != null) {
                    l.shutdownNow();
                }
                for (Slot s : slots.values()) {
                    if (leads(s)) {
                        outputs.closeAndWait(s.streamId);
                    }
                }
                service.stop();
            }
        };
    }

    private Slot slot(String streamId) {
        Slot existing = slots.get(streamId);
        if (existing != null) {
            return existing;
        }
        try {
            CamelPreemptiveClusterView view = service.getView(namespaceOf(streamId));
            Slot s = new Slot(streamId, view);
            Slot raced = slots.putIfAbsent(streamId, s);
            if (raced != null) {
                return raced;
            }
            view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> leadershipChanged(s));
            requestBalance();
            return s;
        } catch (Exception e) {
            LOG.warn("cluster: no view of stream {}: {}", streamId, e.getMessage());
            LOG.debug("cluster view failure", e);
            return null;
        }
    }

    /** On the cluster client's thread: re-check the stream now, re-plan soon. */
    private void leadershipChanged(Slot s) {
        boolean leading = leads(s);
        if (leading != s.wasLeading) {
            s.wasLeading = leading;
            s.ledSince = leading ? now() : -1;
            try (MDC.MDCCloseable m = MDC.putCloseable("streamId", s.streamId)) {
                if (leading) {
                    LOG.info("cluster: node {} leads stream {} now: publishing it", nodeId, s.streamId);
                } else {
                    LOG.info("cluster: node {} no longer leads stream {}: unpublishing it", nodeId, s.streamId);
                }
            }
        }
        recheck.accept(s.streamId);
        requestBalance();
    }

    private void requestBalance() {
        ScheduledExecutorService l = loop;
        if (l != null && balanceQueued.compareAndSet(false, true)) {
            try {
                l.execute(() -> {
                    balanceQueued.set(false);
                    balanceSafely();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                balanceQueued.set(false);
            }
        }
    }

    private void balanceSafely() {
        try {
            balance();
        } catch (RuntimeException e) {
            LOG.warn("cluster: planning the spread failed: {}", e.toString());
            LOG.debug("spread failure", e);
        }
    }

    /** On the gate's thread: plan the spread, compete for this node's streams, hand over the others. */
    private void balance() {
        CamelPreemptiveClusterView m = membership;
        if (m == null) {
            return;
        }
        long now = now();
        List<String> members = m.getMembers().stream().map(CamelClusterMember::getId).sorted().toList();
        if (!members.equals(lastMembers)) {
            LOG.info("cluster: members {}", members.isEmpty() ? "(none known)" : String.join(", ", members));
            lastMembers = members;
            membersChangedAt = now;
            membersEpoch++;
        }
        List<Slot> all = List.copyOf(slots.values());
        if (all.isEmpty()) {
            return;
        }
        boolean member = members.contains(nodeId);
        boolean steady = steady(now);
        Map<String, String> owners = new HashMap<>();
        for (Slot s : all) {
            String owner = leaderOf(s.view);
            if (nodeId.equals(owner) && !leads(s) && s.view.isDisabled()) {
                // a lease this node let go but still holds, or a latch node of this node's previous life it does not
                // stand in line behind; one it does (a new session: its latch deletes that node as it resets, and
                // this node's new one is next) is this node's, as every other node sees it
                owner = null;
            }
            if (owner != null && members.contains(owner)) {
                owners.put(s.streamId, owner);
            }
        }
        Map<String, String> plan = StreamSpread.plan(all.stream().map(s -> s.streamId).toList(), members, owners);
        boolean settled = now - membersChangedAt >= SETTLE_MS;
        List<Slot> moving = new ArrayList<>();
        for (Slot s : all) {
            boolean leading = leads(s);
            if (leading != s.ledSince >= 0) {
                s.ledSince = leading ? now : -1; // the listener has not run yet
            }
            String owner = owners.get(s.streamId);
            if (!Objects.equals(leading ? nodeId : owner, s.shownOwner)) {
                recheck.accept(s.streamId); // the owner shown in the status changed
            }
            // a stream this node handed over but whose lease Camel has not let go yet (Kubernetes waits a lease
            // duration) is not an orphan: offering it to every node would let this node race the planned one for it
            boolean letGo = !leading && nodeId.equals(leaderOf(s.view)) && now - s.lastMove < MOVE_DAMPING_MS;
            // cut off from the cluster, this node sees no owner of any stream, which does not make them orphans
            s.orphanSince = owner != null || leading || letGo || !steady ? -1
                    : s.orphanSince < 0 ? now : s.orphanSince;
            if (s.releasingTo != null) {
                continue;
            }
            if (!steady) {
                // no line joined or left, no stream moved, while cut off and for SETTLE_MS after the session is
                // back: before, this node plans on what it saw when it was cut off; just after, on a picture that
                // is being rebuilt (every owner's latch replaces its node of the old session, so a stream shows no
                // owner for a moment). Lines joined or left then are joined in an order nobody planned, and whoever
                // is first takes the stream, which then moves to its planned node: two publishes. Left alone, every
                // owner of before takes its streams back (docs/cluster.md)
                continue;
            }
            String target = plan.get(s.streamId);
            if (leading) {
                if (member && target != null && !target.equals(nodeId) && settled
                        && now - s.ledSince >= SETTLE_MS && !movedLately(s, now)) {
                    s.releasingTo = target;
                    moving.add(s);
                }
                continue;
            }
            // a node that handed this stream over lately waits longer before it takes it back as an orphan: the node
            // it went to may still be reading its definitions (a JVM just started), and a stream taken back could
            // not move again for MOVE_DAMPING_MS
            long grace = movedLately(s, now) ? HANDED_OVER_GRACE_MS : ORPHAN_GRACE_MS;
            boolean compete = member && (nodeId.equals(target) || s.orphanSince >= 0 && now - s.orphanSince >= grace);
            if (!member && !settled && !s.view.isDisabled()) {
                // a node that does not see itself among the members leaves no line until that has lasted SETTLE_MS:
                // while ZooKeeper expires the sessions of before an outage, a node's own member node is gone for a
                // moment; had it left its lines then, it would join them again behind nodes that joined them
                // meanwhile on their own reading of the flap (a member leaves a line at once: kept, its place could
                // be the first, and the stream would be taken there and moved)
                continue;
            }
            if (s.view.isDisabled() == compete) {
                s.view.setDisabled(!compete);
            }
        }
        if (!moving.isEmpty()) {
            handOver(moving);
        }
    }

    /**
     * Close-then-publish across nodes: the streams show STANDBY here, their destinations unpublish, and only then
     * does this node leave their namespaces, so the planned node's publish is never refused as a second publisher.
     */
    private void handOver(List<Slot> moving) {
        for (Slot s : moving) {
            s.closedSinceRelease = false;
            try (MDC.MDCCloseable m = MDC.putCloseable("streamId", s.streamId)) {
                LOG.info("cluster: stream {} moves to node {} to even the spread: unpublishing it here first",
                        s.streamId, s.releasingTo);
            }
            recheck.accept(s.streamId);
        }
        long deadline = now() + UNPUBLISH_TIMEOUT_MS;
        for (Slot s : moving) {
            while (!(s.closedSinceRelease && outputs.unpublished(s.streamId)) && now() < deadline) {
                try {
                    Thread.sleep(POLL_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!(s.closedSinceRelease && outputs.unpublished(s.streamId))) {
                LOG.warn("cluster: stream {} did not unpublish within {} ms; handing it over anyway", s.streamId,
                        UNPUBLISH_TIMEOUT_MS);
            }
            s.view.setDisabled(true);
            s.lastMove = now();
            s.epochAtMove = membersEpoch;
            s.releasingTo = null;
            recheck.accept(s.streamId);
        }
    }

    /**
     * This node handed the stream over within {@value #MOVE_DAMPING_MS} ms and the members have not changed since: a
     * stream back here then is a move that did not take (its target may not define it), which is not tried again
     * soon. A move before a member left or joined damps nothing: the stream came back by failover.
     */
    private boolean movedLately(Slot s, long now) {
        return now - s.lastMove < MOVE_DAMPING_MS && s.epochAtMove == membersEpoch;
    }

    /**
     * This node leads the stream and has not left its namespace: a Kubernetes lease stays this node's for a lease
     * duration after its view was disabled, but the stream was handed over.
     */
    private static boolean leads(Slot s) {
        return !s.view.isDisabled() && s.view.getLocalMember().isLeader();
    }

    /**
     * Whether this node's session with the cluster is up, and has been for {@value #SETTLE_MS} ms if it came back
     * after a lost connection. Only ZooKeeper's service knows (a lost connection is Curator's SUSPENDED or LOST, its
     * return RECONNECTED); a Kubernetes node reads the Leases through the API server at each renewal and has no such
     * state.
     */
    private boolean steady(long now) {
        return !(service instanceof CuratorClusterService curator)
                || curator.connected() && now - curator.reconnectedAtMs() >= SETTLE_MS;
    }

    private static String leaderOf(CamelPreemptiveClusterView view) {
        return view.getLeader().map(CamelClusterMember::getId).orElse(null);
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }
}
