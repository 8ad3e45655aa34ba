package io.camrelay.cluster;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelPreemptiveClusterView;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace of a {@link CuratorClusterService}: while enabled, this node takes part in the namespace's leader
 * latch; disabled (the initial state), it does not, and a leader that is disabled closes its latch, which hands the
 * namespace to the next node in line. Tells its listeners when the leader or the members change.
 */
final class CuratorClusterView extends AbstractCamelClusterView implements CamelPreemptiveClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(CuratorClusterView.class);

    private final CuratorClusterService service;
    private final Member local;
    /**
     * Serialises joining and leaving the latch. Never this view's monitor: Curator calls the latch's listeners while
     * it holds the latch's monitor, and they ask this view whether it is disabled or leading; a view holding its own
     * monitor while it waited for the latch's (in {@link LeaderLatch#close}) would deadlock against them, and every
     * thread asking this view afterwards with it (the reconciler, the connection-state thread).
     */
    private final Object latchLock = new Object();
    private volatile boolean disabled = true;
    private volatile LeaderLatch latch;
    /** What listeners were told last: the leader's id, and whether this node leads (its latch has it). */
    private String lastLeader;
    private boolean lastLeading;
    private List<String> lastMembers = List.of();

    CuratorClusterView(CuratorClusterService service, String namespace) {
        super(service, namespace);
        this.service = service;
        this.local = new Member(service.getId(), true);
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        if (leading()) {
            return Optional.of(local);
        }
        if (!service.connected()) {
            return Optional.empty();
        }
        return service.leaderOf(getNamespace()).map(id -> new Member(id, id.equals(local.getId())));
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        return service.members().stream()
                .map(id -> id.equals(local.getId()) ? (CamelClusterMember) local : new Member(id, false)).toList();
    }

    @Override
    public boolean isDisabled() {
        return disabled;
    }

    @Override
    public void setDisabled(boolean disabled) {
        synchronized (latchLock) {
            if (this.disabled == disabled) {
                return;
            }
            this.disabled = disabled;
            if (isRunAllowed()) {
                if (disabled) {
                    closeLatch();
                } else {
                    openLatch();
                }
            }
        }
        refresh();
    }

    @Override
    protected void doStart() throws Exception {
        synchronized (latchLock) {
            if (!disabled) {
                openLatch();
            }
        }
    }

    @Override
    protected void doStop() {
        synchronized (latchLock) {
            closeLatch();
        }
        refresh();
    }

    /** This node leads the namespace: its latch has the leadership and its session is connected. */
    private boolean leading() {
        LeaderLatch l = latch;
        return l != null && l.hasLeadership() && service.connected();
    }

    /** The latch this view takes part in now (null while disabled): for tests of the locking. */
    LeaderLatch latch() {
        return latch;
    }

    private void openLatch() {
        try {
            LeaderLatch l = new LeaderLatch(service.client(), service.latchPath(getNamespace()), local.getId(),
                    LeaderLatch.CloseMode.NOTIFY_LEADER);
            l.addListener(new LeaderLatchListener() {
                @Override
                public void isLeader() {
                    refresh();
                }

                @Override
                public void notLeader() {
                    refresh();
                }
            });
            l.start();
            latch = l;
        } catch (Exception e) {
            throw new IllegalStateException("cannot join the leader election of " + getNamespace() + ": " + e, e);
        }
    }

    private void closeLatch() {
        LeaderLatch l = latch;
        latch = null;
        if (l != null) {
            try {
                l.close();
            } catch (IOException | IllegalStateException e) {
                LOG.debug("cluster: closing the latch of {}", getNamespace(), e);
            }
        }
    }

    /**
     * Compares leader and members with what listeners were told last and tells them what changed. This node's own
     * latch winning counts as a change even when the cache already showed this node's latch node first, so the
     * stream starts on the event, not at the next poll. Read and recorded under one lock (calling nothing that locks),
     * so a slower caller cannot record an older reading over a newer one.
     */
    void refresh() {
        List<String> before;
        List<String> members;
        boolean leaderChanged;
        synchronized (this) {
            boolean leadingNow = leading();
            String leader = getLeader().map(CamelClusterMember::getId).orElse(null);
            members = service.members();
            leaderChanged = !Objects.equals(leader, lastLeader) || leadingNow != lastLeading;
            lastLeader = leader;
            lastLeading = leadingNow;
            before = lastMembers;
            lastMembers = members;
        }
        if (leaderChanged) {
            fireLeadershipChangedEvent(getLeader().orElse(null));
        }
        for (String id : members) {
            if (!before.contains(id)) {
                fireMemberAddedEvent(new Member(id, id.equals(local.getId())));
            }
        }
        for (String id : before) {
            if (!members.contains(id)) {
                fireMemberRemovedEvent(new Member(id, id.equals(local.getId())));
            }
        }
    }

    /** A node as this view sees it. */
    private final class Member implements CamelClusterMember {
        private final String id;
        private final boolean isLocal;

        Member(String id, boolean isLocal) {
            this.id = id;
            this.isLocal = isLocal;
        }

        @Override
        public boolean isLeader() {
            return isLocal ? leading() : getLeader().map(l -> l.getId().equals(id)).orElse(false);
        }

        @Override
        public boolean isLocal() {
            return isLocal;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
