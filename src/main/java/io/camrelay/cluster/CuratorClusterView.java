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
    private boolean disabled = true;
    private LeaderLatch latch;
    private String lastLeader;
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
    public synchronized boolean isDisabled() {
        return disabled;
    }

    @Override
    public synchronized void setDisabled(boolean disabled) {
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
        refresh();
    }

    @Override
    protected synchronized void doStart() throws Exception {
        if (!disabled) {
            openLatch();
        }
    }

    @Override
    protected synchronized void doStop() {
        closeLatch();
        refresh();
    }

    /** This node leads the namespace: its latch has the leadership and its session is connected. */
    private boolean leading() {
        LeaderLatch l;
        synchronized (this) {
            l = latch;
        }
        return l != null && l.hasLeadership() && service.connected();
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

    /** Compares leader and members with what listeners were told last and tells them what changed. */
    void refresh() {
        String leader = getLeader().map(CamelClusterMember::getId).orElse(null);
        List<String> members = service.members();
        List<String> before;
        boolean leaderChanged;
        synchronized (this) {
            leaderChanged = !Objects.equals(leader, lastLeader);
            lastLeader = leader;
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
