package io.camrelay.app;

import io.camrelay.support.Secrets;

import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamOutputs;
import io.camrelay.streams.StreamOutputsRegistry;
import io.camrelay.support.Backoff;
import io.camrelay.support.Causes;
import io.camrelay.streams.StreamStatus;
import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.vms.VmsAuthenticationException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The shared error handling of stream routes (docs/design.md §7; the {@code stream-errors} routeConfiguration calls
 * it): first asks the stream's outputs to hold through the restart or to end the broadcast (their
 * {@link io.camrelay.streams.HoldDecision}, docs/design.md §7a), then records the reason in the status (HOLDING
 * while the destinations hold, else ERROR), reports it to XProtect, logs it once with the stream id, stops
 * the route through controlbus and starts it again after a per-stream exponential back-off with jitter
 * ({@value #INITIAL_DELAY_MS} ms doubling to {@value #MAX_DELAY_MS} ms with the jitter of {@link Backoff}, reset after {@value #HEALTHY_MS} ms without
 * a failure; credential failures wait at least {@value #CREDENTIALS_DELAY_MS} ms so an account is never locked
 * out). All failing exchanges of one episode lead to one restart. Never throws: whatever goes wrong here is logged,
 * so the error handling cannot loop or fail the stream route. Nothing is restarted while Camel stops.
 */
public final class StreamFailureHandler implements Processor {

    /** The bean name the routeConfiguration refers to. */
    public static final String BEAN_NAME = "streamFailureHandler";
    /** First restart delay. */
    static final long INITIAL_DELAY_MS = 5_000;
    /** Longest restart delay. */
    static final long MAX_DELAY_MS = 300_000;
    /** A stream running this long without a failure starts over at the first delay. */
    static final long HEALTHY_MS = 60_000;
    /** Shortest delay after the VMS refused the credentials. */
    static final long CREDENTIALS_DELAY_MS = 120_000;

    private static final Logger LOG = LoggerFactory.getLogger(StreamFailureHandler.class);

    private final CamelContext camel;
    private final StreamStatusRegistry registry;
    private final StreamOutputsRegistry outputs;
    private final EventReporter events;
    private final long initialDelayMs;
    private final LongSupplier clockMs;
    private final Map<String, Episode> episodes = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService scheduler;
    private volatile ProducerTemplate controlBus;

    /** Per stream: the restart back-off, and until when further failures belong to the current episode. */
    private static final class Episode {
        final Backoff backoff;
        long restartAtMs = Long.MIN_VALUE;
        boolean pending;

        Episode(Backoff backoff) {
            this.backoff = backoff;
        }
    }

    /**
     * @param events         where stream errors are reported (XProtect), or {@link EventReporter#NONE}
     * @param initialDelayMs the first restart delay ({@value #INITIAL_DELAY_MS} in production; tests shorten it)
     */
    public StreamFailureHandler(CamelContext camel, StreamStatusRegistry registry, StreamOutputsRegistry outputs,
                                EventReporter events, long initialDelayMs) {
        this(camel, registry, outputs, events, initialDelayMs, System::currentTimeMillis);
    }

    /** @param outputs the streams' outputs, asked to hold through each restart; null: none (nothing holds) */
    StreamFailureHandler(CamelContext camel, StreamStatusRegistry registry, StreamOutputsRegistry outputs,
                         EventReporter events, long initialDelayMs, LongSupplier clockMs) {
        this.camel = camel;
        this.registry = registry;
        this.outputs = outputs;
        this.events = events;
        this.initialDelayMs = initialDelayMs;
        this.clockMs = clockMs;
    }

    /**
     * The handler's lifecycle, to add to the CamelContext. The handler itself is deliberately no Service: as a step of
     * every stream route's error handling it would be stopped with the first route that stops.
     */
    public ServiceSupport lifecycle() {
        return new ServiceSupport() {
            @Override
            protected void doStart() {
                StreamFailureHandler.this.startScheduler();
            }

            @Override
            protected void doStop() {
                StreamFailureHandler.this.stopScheduler();
            }
        };
    }

    private synchronized void startScheduler() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "camrelay-stream-restarts");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        scheduler = executor;
        controlBus = camel.createProducerTemplate();
    }

    private synchronized void stopScheduler() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (controlBus != null) {
            try {
                controlBus.stop();
            } catch (Exception e) {
                LOG.debug("control bus template did not stop cleanly", e);
            }
            controlBus = null;
        }
    }

    @Override
    public void process(Exchange exchange) {
        try {
            Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            String routeId = exchange.getFromRouteId();
            String streamId = StreamDefinition.streamIdOf(routeId);
            if (streamId != null && routeId != null) {
                failed(streamId, routeId, cause);
            }
        } catch (RuntimeException | Error e) {
            LOG.warn("the stream error handling itself failed: {}", Secrets.maskUrlsIn(String.valueOf(e)));
        }
    }

    /**
     * Stream {@code streamId}'s route {@code routeId} failed with {@code cause}.
     *
     * @return the restart delay in ms, or -1 when this failure belongs to an episode whose restart is planned
     */
    long failed(String streamId, String routeId, Throwable cause) {
        if (stopping()) {
            return -1;
        }
        String reason = reasonOf(cause);
        // every failure is put to the outputs, an episode's later ones too: a privacy mask must end the broadcast
        boolean held = holds(streamId, cause, reason);
        Episode episode = episodes.computeIfAbsent(streamId, id -> new Episode(newBackoff()));
        long delay;
        long now = clockMs.getAsLong();
        synchronized (episode) {
            if (episode.pending || now < episode.restartAtMs) {
                return -1; // the same episode: its restart is already planned
            }
            if (episode.restartAtMs != Long.MIN_VALUE && now - episode.restartAtMs >= HEALTHY_MS) {
                episode.backoff.reset();
            }
            delay = nextDelay(episode.backoff, cause);
            episode.pending = true;
            episode.restartAtMs = now + delay;
        }
        registry.routeFailed(streamId, reason, held);
        MDC.put("streamId", streamId);
        try {
            double seconds = Math.round(delay / 100.0) / 10.0;
            if (held) {
                LOG.error("stream {} failed: {}; restarting it in {} s; its destinations hold", streamId, reason,
                        seconds);
            } else {
                LOG.error("stream {} failed: {}; restarting it in {} s", streamId, reason, seconds);
            }
        } finally {
            MDC.remove("streamId");
        }
        report(streamId, reason);
        restart(streamId, routeId, delay, episode);
        return delay;
    }

    /** Whether the stream's destinations hold through this failure (false: ended, or nothing to hold). */
    private boolean holds(String streamId, Throwable cause, String reason) {
        if (outputs == null) {
            return false;
        }
        try {
            StreamOutputs o = outputs.get(streamId).orElse(null);
            return o != null && o.cameraFailed(cause, reason);
        } catch (RuntimeException e) {
            LOG.warn("stream {}: its outputs could not take the failure: {}", streamId,
                    Secrets.maskUrlsIn(String.valueOf(e)));
            return false;
        }
    }

    private void restart(String streamId, String routeId, long delayMs, Episode episode) {
        try {
            // async: the exchange that failed is still in flight on the route being stopped
            controlBus.sendBody("controlbus:route?routeId=" + routeId + "&action=stop&async=true", null);
            scheduler.schedule(() -> start(streamId, routeId, episode), delayMs, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            synchronized (episode) {
                episode.pending = false;
            }
            LOG.warn("stream {} could not be restarted: {}", streamId, Secrets.maskUrlsIn(String.valueOf(e)));
        }
    }

    private void start(String streamId, String routeId, Episode episode) {
        synchronized (episode) {
            episode.pending = false;
        }
        try {
            if (stopping() || camel.getRoute(routeId) == null) {
                return; // removed or redefined meanwhile: the reconciler owns it now
            }
            ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
            if (status != null && status.isStarted()) {
                return;
            }
            LOG.info("restarting stream {}", streamId);
            controlBus.sendBody("controlbus:route?routeId=" + routeId + "&action=start&async=true", null);
        } catch (RuntimeException | Error e) {
            LOG.warn("stream {} could not be restarted: {}", streamId, Secrets.maskUrlsIn(String.valueOf(e)));
        }
    }

    private void report(String streamId, String reason) {
        try {
            String cameraId = registry.snapshot(streamId).map(StreamStatus::cameraId).orElse(null);
            events.report(streamId, cameraId, reason);
        } catch (RuntimeException e) {
            LOG.warn("stream {}: the error could not be reported to XProtect: {}", streamId,
                    Secrets.maskUrlsIn(String.valueOf(e.getMessage())));
        }
    }

    /** Whether a restart of stream {@code streamId} is planned and not yet done (tests). */
    boolean restartPending(String streamId) {
        Episode e = episodes.get(streamId);
        if (e == null) {
            return false;
        }
        synchronized (e) {
            return e.pending;
        }
    }

    /** A stream's restart back-off: the first delay doubling to {@value #MAX_DELAY_MS} ms, with jitter. */
    Backoff newBackoff() {
        return new Backoff(initialDelayMs, MAX_DELAY_MS);
    }

    /** The delay before the next restart; credential failures wait at least as long as the VMS asks. */
    long nextDelay(Backoff backoff, Throwable cause) {
        long delay = backoff.nextDelayMillis();
        VmsAuthenticationException auth = Causes.find(cause, VmsAuthenticationException.class);
        if (auth != null) {
            Duration retryIn = auth.retryIn();
            long wanted = retryIn == null ? CREDENTIALS_DELAY_MS : Math.max(CREDENTIALS_DELAY_MS, retryIn.toMillis());
            delay = Math.max(delay, wanted);
        }
        return delay;
    }

    private boolean stopping() {
        return camel.isStopping() || camel.isStopped() || scheduler == null;
    }

    static String reasonOf(Throwable cause) {
        if (cause == null) {
            return "the stream's route failed";
        }
        return Secrets.messageOf(Causes.firstWithMessage(cause));
    }

    /** Reports a stream error outside CamRelay (XProtect). Must not block the caller. */
    @FunctionalInterface
    public interface EventReporter {
        /** Nothing is reported. */
        EventReporter NONE = (streamId, cameraId, message) -> { };

        /** Stream {@code streamId} on camera {@code cameraId} (may be null) failed; {@code message} is masked. */
        void report(String streamId, String cameraId, String message);
    }
}
