package io.camrelay.streams;

import io.camrelay.support.Secrets;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status of every stream (docs/design.md §6), fed by the reconciler (definitions, problems), the routes (states,
 * frames) and the components (destination counters); read by the status API, the dashboard, health and metrics.
 * Bound in the Camel registry as {@value #BEAN_NAME}.
 */
public final class StreamStatusRegistry {

    /** The name under which the registry is bound in the Camel registry. */
    public static final String BEAN_NAME = "streamStatusRegistry";

    /** Called after the reported state of a stream changed. */
    @FunctionalInterface
    public interface StateListener {
        void stateChanged(StreamStatus status, StreamState before);
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamStatusRegistry.class);

    private final ConcurrentHashMap<String, StreamTracker> streams = new ConcurrentHashMap<>();
    private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> membershipListeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final LongSupplier monotonicMs;

    /** A registry on the system clock. */
    public StreamStatusRegistry() {
        this(Clock.systemUTC(), () -> System.nanoTime() / 1_000_000);
    }

    /** A registry on other clocks (tests): wall time for {@code since}, monotonic ms for rates. */
    StreamStatusRegistry(Clock clock, LongSupplier monotonicMs) {
        this.clock = clock;
        this.monotonicMs = monotonicMs;
    }

    /** The registry bound in {@code camel} as {@value #BEAN_NAME}; fails naming the fix when there is none. */
    public static StreamStatusRegistry lookup(org.apache.camel.CamelContext camel) {
        StreamStatusRegistry r = camel.getRegistry().lookupByNameAndType(BEAN_NAME, StreamStatusRegistry.class);
        if (r == null) {
            throw new IllegalStateException("no " + BEAN_NAME + " bean in the Camel registry: stream routes need"
                    + " CamRelay's wiring (io.camrelay.app.ApplicationWiring) or a registry bound under that name");
        }
        return r;
    }

    /** The tracker of stream {@code id}, or {@code null} when the stream is unknown. Cache it on hot paths. */
    public StreamTracker stream(String id) {
        return streams.get(id);
    }

    /**
     * The definition stream {@code id} runs with (its destination URLs hold the keys: use them to connect, never to
     * show), or empty when the stream is unknown or in ERROR for its definition.
     */
    public Optional<StreamDefinition> definition(String id) {
        return Optional.ofNullable(streams.get(id)).map(StreamTracker::definition);
    }

    /** Counts one frame of stream {@code id} (see {@link StreamTracker#onFrame}); unknown ids are ignored. */
    public void onFrame(String id, long size, boolean keyFrame, long pictureTimeMs) {
        StreamTracker t = streams.get(id);
        if (t != null) {
            t.onFrame(size, keyFrame, pictureTimeMs);
        }
    }

    /** Sets the own state of stream {@code id}; unknown ids are ignored. */
    public void state(String id, StreamState state, String error) {
        StreamTracker t = streams.get(id);
        if (t != null) {
            t.state(state, error);
        }
    }

    /**
     * The route of stream {@code id} failed and is being restarted (the shared error handling calls this, e.g.
     * {@code bean: streamStatusRegistry?method=routeFailed(${header.CamRelayStreamId}, ${exception.message})}):
     * ERROR with the masked reason, one more restart counted. Unknown ids are ignored.
     */
    public void routeFailed(String id, String reason) {
        routeFailed(id, reason, false);
    }

    /**
     * As {@link #routeFailed(String, String)}; when the stream's outputs {@code hold} through the restart
     * (docs/design.md §7a) its camera side shows RECONNECTING instead of ERROR, so the stream shows HOLDING, with the
     * reason as its last error and {@code sourceLastError}.
     */
    public void routeFailed(String id, String reason, boolean hold) {
        StreamTracker t = id == null ? null : streams.get(id);
        if (t != null) {
            String r = reason == null ? "the stream's route failed" : reason;
            t.onRestart();
            t.sourceLost(r);
            // the failure handling logs the reason itself ("stream X failed: ...; restarting it in N s")
            t.errorLoggedByCaller();
            t.state(hold ? StreamState.RECONNECTING : StreamState.ERROR, r);
            t.takeErrorLoggedByCaller(); // when the reported state did not change, nothing took it
        }
    }

    /** Records a definition (new or changed): the stream shows its name, source and destinations. */
    public StreamTracker define(StreamDefinition definition) {
        StreamTracker t = streams.computeIfAbsent(definition.id(), id -> new StreamTracker(id, this));
        t.define(definition);
        membershipChanged();
        return t;
    }

    /** Records a stream that cannot run: ERROR with the reason. */
    public StreamTracker problem(StreamProblem problem) {
        StreamTracker t = streams.computeIfAbsent(problem.id(), id -> new StreamTracker(id, this));
        t.problem(problem);
        membershipChanged();
        return t;
    }

    /** Forgets stream {@code id} (its definition is gone). */
    public void remove(String id) {
        if (streams.remove(id) != null) {
            membershipChanged();
        }
    }

    /** The ids of all known streams. */
    public List<String> ids() {
        return streams.keySet().stream().sorted().toList();
    }

    /** A snapshot of every stream, ordered by id. */
    public List<StreamStatus> snapshot() {
        return streams.values().stream().sorted(Comparator.comparing(StreamTracker::id))
                .map(StreamTracker::snapshot).toList();
    }

    /** A snapshot of stream {@code id}. */
    public Optional<StreamStatus> snapshot(String id) {
        return Optional.ofNullable(streams.get(id)).map(StreamTracker::snapshot);
    }

    /** Adds a listener for state changes (XProtect events, logs). */
    public void addListener(StateListener listener) {
        listeners.add(listener);
    }

    /** Adds a listener called after a stream was defined, redefined or removed (metrics). */
    public void addMembershipListener(Runnable listener) {
        membershipListeners.add(listener);
    }

    private void membershipChanged() {
        for (Runnable r : membershipListeners) {
            r.run();
        }
    }

    /** A JSON mapper that writes {@link StreamStatus} exactly as the status contract (ISO-8601, nulls kept). */
    public static ObjectMapper jsonMapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    long monotonicMs() {
        return monotonicMs.getAsLong();
    }

    void stateChanged(StreamTracker tracker, StreamState before, StreamState after) {
        StreamStatus status = tracker.snapshot();
        if (after == StreamState.ERROR && !tracker.takeErrorLoggedByCaller()) {
            // a destination in ERROR puts the stream in ERROR: then its reason is the one to show
            String reason = status.lastError() != null ? status.lastError() : status.destinations().stream()
                    .filter(d -> d.state() == StreamState.ERROR && d.lastError() != null)
                    .map(d -> d.url() + ": " + d.lastError()).findFirst().orElse("no reason given");
            LOG.warn("stream {} is in ERROR: {}", tracker.id(), reason);
        } else {
            LOG.info("stream {} is {} (was {})", tracker.id(), after, before);
        }
        for (StateListener l : listeners) {
            try {
                l.stateChanged(status, before);
            } catch (RuntimeException e) {
                LOG.warn("a stream state listener failed: {}", Secrets.maskUrlsIn(String.valueOf(e.getMessage())));
                LOG.debug("stream state listener failure", e);
            }
        }
    }
}
