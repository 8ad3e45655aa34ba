package io.camrelay.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelPreemptiveClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A preemptive Camel cluster service on ZooKeeper through Curator (docs/cluster.md): each namespace is a Curator
 * {@code LeaderLatch} under {@code <base>/namespaces/<namespace>} that a view joins only while it is enabled, so a node
 * can leave a namespace it should not lead ({@link CamelPreemptiveClusterService}, which camel-zookeeper's service is
 * not); the members are the ephemeral nodes under {@code <base>/members}. One {@link CuratorCache} of the base path
 * tells every view its leader and the members without a round trip. A lost connection (Curator's SUSPENDED) ends
 * this node's leadership of every namespace at once, before the session can expire elsewhere.
 */
public final class CuratorClusterService extends AbstractCamelClusterService<CuratorClusterView>
        implements CamelPreemptiveClusterService {

    static final String MEMBERS = "members";
    static final String NAMESPACES = "namespaces";
    /** What a leader latch's node names end with before the sequence number (Curator's LeaderLatch). */
    private static final String LATCH_SUFFIX = "latch-";
    /** Connection attempts: Curator retries each operation this way; the session itself reconnects on its own. */
    private static final int RETRY_BASE_MS = 250;
    private static final int RETRY_MAX_MS = 2_000;
    private static final int RETRIES = 8;

    private static final Logger LOG = LoggerFactory.getLogger(CuratorClusterService.class);

    private final String connect;
    private final int sessionTimeoutMs;
    private final String basePath;
    private CuratorFramework client;
    private PersistentNode member;
    private CuratorCache cache;
    private volatile boolean connected;
    /** When the session last came back (Curator's RECONNECTED), in {@code System.nanoTime()} ms; never: MIN_VALUE/2. */
    private volatile long reconnectedAtMs = Long.MIN_VALUE / 2;
    /** The cache has read the tree once: before, it knows only part of the members and would mislead the spread. */
    private volatile boolean initialized;
    /** Every view made, by namespace (the base class keeps its own map to itself). */
    private final Map<String, CuratorClusterView> made = new ConcurrentHashMap<>();

    /** A service with {@code nodeId} as its member id on the ensemble {@code connect}. */
    public CuratorClusterService(String nodeId, String connect, int sessionTimeoutMs, String basePath) {
        super(nodeId);
        this.connect = connect;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.basePath = basePath;
    }

    @Override
    protected CuratorClusterView createView(String namespace) {
        CuratorClusterView view = new CuratorClusterView(this, namespace);
        made.put(namespace, view);
        return view;
    }

    @Override
    public CuratorClusterView getView(String namespace) throws Exception {
        return (CuratorClusterView) super.getView(namespace);
    }

    @Override
    protected void doStart() throws Exception {
        client = CuratorFrameworkFactory.builder().connectString(connect).sessionTimeoutMs(sessionTimeoutMs)
                .connectionTimeoutMs(sessionTimeoutMs).retryPolicy(new ExponentialBackoffRetry(RETRY_BASE_MS, RETRIES,
                        RETRY_MAX_MS)).build();
        client.getConnectionStateListenable().addListener((c, state) -> stateChanged(state));
        client.start();
        cache = CuratorCache.build(client, basePath);
        cache.listenable().addListener(CuratorCacheListener.builder().forAll((type, before, after) -> refreshViews())
                .forInitialized(() -> {
                    initialized = true;
                    refreshViews();
                }).build());
        cache.start();
        member = new PersistentNode(client, CreateMode.EPHEMERAL, false, ZKPaths.makePath(basePath, MEMBERS, getId()),
                getId().getBytes(StandardCharsets.UTF_8));
        member.start();
        if (!client.blockUntilConnected(sessionTimeoutMs, TimeUnit.MILLISECONDS)) {
            LOG.warn("cluster: ZooKeeper at {} is not reachable yet; every stream waits in STANDBY until it is",
                    connect);
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (member != null) {
            member.close();
        }
        if (cache != null) {
            cache.close();
        }
        if (client != null) {
            client.close();
        }
        connected = false;
        initialized = false;
    }

    /** Whether the session is connected now: only then may this node lead a namespace. */
    boolean connected() {
        return connected;
    }

    CuratorFramework client() {
        return client;
    }

    String latchPath(String namespace) {
        return ZKPaths.makePath(basePath, NAMESPACES, namespace);
    }

    /** The live members, sorted, as the cache has them; none before the cache has read them all. */
    List<String> members() {
        CuratorCache c = cache;
        if (c == null || !initialized) {
            return List.of();
        }
        String parent = ZKPaths.makePath(basePath, MEMBERS);
        return c.stream().map(ChildData::getPath).filter(p -> parent.equals(ZKPaths.getPathAndNode(p).getPath()))
                .map(p -> ZKPaths.getNodeFromPath(p)).sorted().toList();
    }

    /** The id of the node leading {@code namespace} (the latch node with the lowest sequence), as the cache has it. */
    Optional<String> leaderOf(String namespace) {
        CuratorCache c = cache;
        if (c == null) {
            return Optional.empty();
        }
        String parent = latchPath(namespace);
        return c.stream().filter(d -> parent.equals(ZKPaths.getPathAndNode(d.getPath()).getPath()))
                .filter(d -> d.getPath().contains(LATCH_SUFFIX))
                .min(Comparator.comparing(d -> sequence(d.getPath())))
                .map(d -> d.getData() == null ? null : new String(d.getData(), StandardCharsets.UTF_8))
                .filter(id -> !id.isEmpty());
    }

    private static String sequence(String path) {
        return path.substring(path.lastIndexOf(LATCH_SUFFIX) + LATCH_SUFFIX.length());
    }

    /** When the session last came back after a lost connection ({@code System.nanoTime()} ms). */
    long reconnectedAtMs() {
        return reconnectedAtMs;
    }

    private void stateChanged(ConnectionState state) {
        boolean was = connected;
        if (state == ConnectionState.RECONNECTED) {
            reconnectedAtMs = System.nanoTime() / 1_000_000;
        }
        connected = state.isConnected();
        if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
            LOG.warn("cluster: the connection to ZooKeeper at {} is {}: this node stops every stream it leads (another"
                    + " node may take them once the session expires)", connect, state);
        } else if (connected && !was) {
            LOG.info("cluster: connected to ZooKeeper at {} ({}) as node {}", connect, state, getId());
        }
        refreshViews();
    }

    private void refreshViews() {
        for (CuratorClusterView view : made.values()) {
            try {
                view.refresh();
            } catch (RuntimeException e) {
                LOG.debug("cluster: refreshing the view of {}", view.getNamespace(), e);
            }
        }
    }
}
