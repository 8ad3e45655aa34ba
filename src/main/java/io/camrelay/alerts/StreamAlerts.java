package io.camrelay.alerts;

import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamState;
import io.camrelay.streams.StreamStatus;
import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.support.Durations;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerting service (docs/design.md §14): listens to every stream's state in the status registry, keeps the
 * episodes ({@link AlertEpisodes}) on a thread of its own and hands each alert to the {@link WebhookSender}. The
 * registry's listener call only queues the change, so a camera's event loop never waits for it. A stream with
 * {@code alerts: false} is left alone, and so is a stream whose status names another node as its {@code owner}
 * (once there is a cluster, only the owner alerts; to the others it is not watched). Changes while CamRelay is
 * stopping are ignored: the streams stop because the application does.
 *
 * <p>In a cluster a stream nobody streams is {@code STANDBY} on every node, which is not watched: so a node also
 * watches itself. When it sees no owner for any of its streams (every one {@code STANDBY} without one: it cannot
 * reach the cluster, or no node can) for {@code after}, it posts a node alert, {@code stream} null and {@code node}
 * itself, and its recovery once it has seen owners again for {@code after}. Owners change without a change of state,
 * so this is checked every {@link #NODE_CHECK}.
 */
public final class StreamAlerts extends ServiceSupport implements StreamStatusRegistry.StateListener {

    private static final Logger LOG = LoggerFactory.getLogger(StreamAlerts.class);

    /** The episode key of this node's own alert: no stream id has a '*' in it. */
    static final String NODE_KEY = "*node*";
    /** How often a node in a cluster checks whether it sees an owner for any stream. */
    static final Duration NODE_CHECK = Duration.ofSeconds(1);

    /**
     * The cluster this node is part of.
     *
     * @param node        this node's id
     * @param description what the log calls the cluster ("ZooKeeper at zk1:2181")
     */
    public record Cluster(String node, String description) {
        public Cluster {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(description, "description");
        }
    }

    private final StreamStatusRegistry registry;
    private final AlertEpisodes episodes;
    private final Duration after;
    private final Predicate<StreamStatus> ownedHere;
    private final Cluster cluster;
    private final BooleanSupplier stopping;
    private final Clock clock;
    private final AlertTicks ticks;
    private final WebhookSender sender;
    private volatile boolean listening;

    /**
     * Alerts to {@code webhook} about streams out of STREAMING for {@code after}.
     *
     * @param cluster  the cluster this node is part of, null without one
     * @param stopping whether the application is stopping
     */
    public static StreamAlerts create(StreamStatusRegistry registry, URI webhook, Duration after, Cluster cluster,
                                      BooleanSupplier stopping) {
        return new StreamAlerts(registry, after, cluster, stopping, Clock.systemUTC(),
                AlertTicks.onThread("camrelay-alerts"), new WebhookSender(webhook));
    }

    StreamAlerts(StreamStatusRegistry registry, Duration after, Cluster cluster, BooleanSupplier stopping,
                 Clock clock, AlertTicks ticks, WebhookSender sender) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.after = Objects.requireNonNull(after, "after");
        this.episodes = new AlertEpisodes(after);
        this.cluster = cluster;
        this.ownedHere = status -> status.owner() == null || cluster != null && status.owner().equals(cluster.node());
        this.stopping = Objects.requireNonNull(stopping, "stopping");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticks = Objects.requireNonNull(ticks, "ticks");
        this.sender = Objects.requireNonNull(sender, "sender");
    }

    @Override
    protected void doStart() {
        sender.start();
        if (!listening) {
            listening = true;
            registry.addListener(this);
        }
        // streams that are down already when alerting starts count from now
        ticks.run(() -> registry.snapshot().forEach(this::onState));
        if (cluster != null) {
            ticks.every(NODE_CHECK, this::checkNode);
        }
        LOG.info("alerts go to {} when a stream is out of STREAMING for {}", WebhookSender.shown(sender.url()),
                Durations.human(after));
    }

    @Override
    protected void doStop() {
        listening = false;
        ticks.close();
        sender.close();
    }

    @Override
    public void stateChanged(StreamStatus status, StreamState before) {
        if (listening && !stopping.getAsBoolean()) {
            ticks.run(() -> onState(status));
        }
    }

    /** On the alerts thread. */
    private void onState(StreamStatus status) {
        String id = status.id();
        if (!alertsOn(id)) {
            episodes.forget(id);
            return;
        }
        // a stream another node streams is that node's to alert: here it is not watched
        StreamState state = ownedHere.test(status) ? status.state() : StreamState.STANDBY;
        send(episodes.onState(id, state, clock.instant()));
        rearm();
    }

    /**
     * On the alerts thread: this node is down while it sees no owner for any stream and at least one of its streams
     * waits for one ({@code STANDBY} without an owner); the episode is fed as if it were a stream's.
     */
    private void checkNode() {
        if (stopping.getAsBoolean()) {
            return;
        }
        List<StreamStatus> all = registry.snapshot();
        boolean waiting = all.stream().anyMatch(s -> waitsForOwner(s) && alertsOn(s.id()));
        boolean down = waiting && all.stream().noneMatch(s -> s.owner() != null);
        // any state but STREAMING that is watched stands for "down"
        send(episodes.onState(NODE_KEY, down ? StreamState.ERROR : StreamState.STREAMING, clock.instant()));
        rearm();
    }

    /** A stream in STANDBY that no node streams, as this node sees the cluster. */
    private static boolean waitsForOwner(StreamStatus s) {
        return s.state() == StreamState.STANDBY && s.owner() == null;
    }

    /** On the alerts thread. */
    private void tick() {
        send(episodes.onTick(clock.instant()));
        rearm();
    }

    private void rearm() {
        Optional<Instant> next = episodes.nextDeadline();
        if (next.isPresent()) {
            ticks.runAfter(Duration.between(clock.instant(), next.get()), this::tick);
        } else {
            ticks.cancelDelayed();
        }
    }

    private void send(List<AlertEpisodes.Due> due) {
        for (AlertEpisodes.Due d : due) {
            if (d.streamId().equals(NODE_KEY)) {
                List<StreamStatus> all = registry.snapshot();
                int waiting = (int) all.stream().filter(StreamAlerts::waitsForOwner).count();
                Alert alert = Alert.ofNode(d, cluster.node(), cluster.description(), waiting);
                LOG.info("alert: {}", alert.text());
                sender.offer(alert);
                continue;
            }
            Optional<StreamStatus> status = registry.snapshot(d.streamId());
            if (status.isEmpty() || !alertsOn(d.streamId())) {
                episodes.forget(d.streamId()); // removed meanwhile, or silenced
                continue;
            }
            Alert alert = Alert.of(d, status.get(), cluster == null ? null : cluster.node());
            LOG.info("alert: {}", alert.text());
            sender.offer(alert);
        }
    }

    private boolean alertsOn(String id) {
        return registry.definition(id).map(StreamDefinition::alerts).orElse(true);
    }
}
