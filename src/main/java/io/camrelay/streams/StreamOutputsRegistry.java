package io.camrelay.streams;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every stream's {@link StreamOutputs} (docs/design.md §7a), bound in the Camel registry as {@value #BEAN_NAME}: the
 * reconciler opens a stream's outputs when it defines the stream and closes them when it removes or disables it;
 * the route's last step, the session listener and the failure handling find them here by stream id. Runs the hold
 * timer (one thread of its own, never a camera's event loop) and stops sinks on a small pool of its own, since an
 * unpublish waits. As a Camel service it closes every stream's outputs when the application stops, after the routes.
 */
public final class StreamOutputsRegistry extends ServiceSupport {

    /** The name under which the application binds the registry. */
    public static final String BEAN_NAME = "streamOutputs";
    /** How often each stream's outputs check for a stall and send due hold pictures. */
    static final long TICK_MS = 100;
    /** How long the application's stop waits for every sink to unpublish or close. */
    static final long CLOSE_TIMEOUT_MS = 10_000;
    /** Threads stopping sinks at once; stops are rare (a removed destination, a hold's end). */
    private static final int STOPPER_THREADS = 4;
    /** Stops waiting at most: far more than streams × destinations; past it the caller stops the sink itself. */
    private static final int MAX_PENDING_STOPS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(StreamOutputsRegistry.class);

    private final CamelContext camel;
    private final StreamStatusRegistry status;
    private final DestinationTypes types;
    private final HoldDecision decision;
    private final Map<String, StreamOutputs> outputs = new ConcurrentHashMap<>();
    /** The sinks of closed outputs still unpublishing, by stream id. */
    private final Map<String, CompletableFuture<Void>> stopping = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final ExecutorService stopper;
    private final Clock clock;

    /**
     * The one periodic task ticking every stream's outputs, started with the first: one wake-up of the timer thread
     * per {@link #TICK_MS} for all streams (a task per stream woke it 1,000 times a second at 100 streams, 7.8 % of
     * CamRelay's CPU in context switches alone; docs/performance.md).
     */
    private ScheduledFuture<?> ticking;

    /**
     * The outputs of the streams in {@code status}, opened through {@code types}, holding as {@code decision} says.
     *
     * @param camel the context the sinks' components live in
     */
    public StreamOutputsRegistry(CamelContext camel, StreamStatusRegistry status, DestinationTypes types,
                                 HoldDecision decision) {
        this(camel, status, types, decision, Clock.systemUTC());
    }

    StreamOutputsRegistry(CamelContext camel, StreamStatusRegistry status, DestinationTypes types,
                          HoldDecision decision, Clock clock) {
        this.camel = camel;
        this.status = status;
        this.types = types;
        this.decision = decision;
        this.clock = clock;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("camrelay-hold"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        ThreadPoolExecutor s = new ThreadPoolExecutor(STOPPER_THREADS, STOPPER_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(MAX_PENDING_STOPS), daemon("camrelay-outputs-stop"),
                new ThreadPoolExecutor.CallerRunsPolicy());
        s.allowCoreThreadTimeOut(true);
        this.stopper = s;
    }

    /** The registry bound in {@code camel} as {@value #BEAN_NAME}; fails naming the fix when there is none. */
    public static StreamOutputsRegistry lookup(CamelContext camel) {
        StreamOutputsRegistry r = camel.getRegistry().lookupByNameAndType(BEAN_NAME, StreamOutputsRegistry.class);
        if (r == null) {
            throw new IllegalStateException("no " + BEAN_NAME + " bean in the Camel registry: stream routes need"
                    + " CamRelay's wiring (io.camrelay.app.ApplicationWiring) or outputs bound under that name");
        }
        return r;
    }

    /** Opens the outputs of {@code definition} (its sinks start publishing), or updates those already open. */
    public void open(StreamDefinition definition) {
        StreamOutputs e = outputs.get(definition.id());
        if (e != null) {
            e.update(definition);
            return;
        }
        StreamTracker tracker = status.stream(definition.id());
        if (tracker == null) {
            throw new IllegalStateException("stream '" + definition.id() + "' is not in the status registry");
        }
        StreamOutputs o = new StreamOutputs(definition, tracker, environment());
        outputs.put(definition.id(), o);
        startTicking();
    }

    /** The outputs of stream {@code id}, if open. */
    public Optional<StreamOutputs> get(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(outputs.get(id));
    }

    /** Closes the outputs of stream {@code id} (its sinks unpublish in the background); nothing when none. */
    public void close(String id) {
        closing(id);
    }

    /** Closes the outputs of stream {@code id}; what completes when its sinks have stopped, or null when none. */
    private synchronized CompletableFuture<Void> closing(String id) {
        StreamOutputs e = outputs.remove(id);
        if (e == null) {
            return null;
        }
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Runnable stop : e.close()) {
            stops.add(CompletableFuture.runAsync(stop, stopper));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
        stopping.put(id, all);
        all.whenComplete((ignored, failure) -> stopping.remove(id, all));
        return all;
    }

    /**
     * Whether stream {@code id} publishes nothing from here: no outputs open and none of those closed still
     * unpublishing (a cluster node hands a stream over only then, docs/cluster.md).
     */
    public synchronized boolean unpublished(String id) {
        return !outputs.containsKey(id) && !stopping.containsKey(id);
    }

    /** Closes the outputs of stream {@code id} and waits (bounded) until its sinks have unpublished. */
    public void closeAndWait(String id) {
        CompletableFuture<Void> stops = closing(id);
        if (stops == null) {
            return;
        }
        try {
            stops.get(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("stream {}: not every destination unpublished within {} ms of closing", id, CLOSE_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("stopping the destinations of stream {}", id, e);
        }
    }

    /** The ids of the streams whose outputs are open. */
    public List<String> ids() {
        return outputs.keySet().stream().sorted().toList();
    }

    @Override
    protected void doStop() {
        List<Runnable> stops = new ArrayList<>();
        for (String id : List.copyOf(outputs.keySet())) {
            StreamOutputs e = outputs.remove(id);
            if (e != null) {
                stops.addAll(e.close());
            }
        }
        awaitAll(stops);
    }

    /** Runs {@code stops} on the stopper, waiting at most {@link #CLOSE_TIMEOUT_MS} for all of them. */
    private void awaitAll(List<Runnable> stopping) {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        stopping.forEach(r -> stops.add(CompletableFuture.runAsync(r, stopper)));
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("not every destination unpublished within {} ms of stopping", CLOSE_TIMEOUT_MS);
        } catch (Exception e) {
            LOG.debug("stopping the destinations", e);
        }
    }

    @Override
    protected void doShutdown() {
        timer.shutdownNow();
        stopper.shutdown();
    }

    private StreamOutputs.Environment environment() {
        return new StreamOutputs.Environment(camel, types, decision, System::nanoTime, clock, stopper,
                () -> camel != null && (camel.isStopping() || camel.isStopped()));
    }

    private synchronized void startTicking() {
        if (ticking == null) {
            ticking = timer.scheduleAtFixedRate(this::tickAll, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Ticks every open stream's outputs; one stream's failure neither stops the others' ticks nor later ones. */
    private void tickAll() {
        for (StreamOutputs o : outputs.values()) {
            tick(o);
        }
    }

    private static void tick(StreamOutputs o) {
        try {
            o.tick();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            // caught, not thrown on: a periodic task that throws is never run again, for every stream
            LOG.warn("stream {}: the hold timer failed: {}", o.streamId(), e.toString());
            LOG.debug("hold timer failure", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
