package io.camrelay.cluster;

import io.camrelay.streams.Destination;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamGate;
import io.camrelay.streams.StreamSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelPreemptiveClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A cluster node in the test JVM: a {@link ClusterGate} on a real cluster service with a reconciler reduced to what
 * the gate sees of one (it asks the gate on every re-check and every 250 ms poll, and "runs" a stream while the gate
 * is open), reporting each start and stop to the shared {@link Publishers}.
 */
final class GateNode implements AutoCloseable {

    final String id;
    private final List<String> streams;
    private final Publishers publishers;
    private final ClusterGate gate;
    private final CamelPreemptiveClusterService service;
    private final ServiceSupport lifecycle;
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService reconciler = Executors.newSingleThreadScheduledExecutor();

    GateNode(String id, CamelPreemptiveClusterService service, List<String> streams, Publishers publishers) {
        this.id = id;
        this.streams = streams;
        this.publishers = publishers;
        this.service = service;
        this.gate = new ClusterGate(service, id, "test cluster", new ClusterGate.Outputs() {
            @Override
            public boolean unpublished(String streamId) {
                return !running.contains(streamId);
            }

            @Override
            public void closeAndWait(String streamId) {
                stop(streamId);
            }
        });
        gate.onChange(s -> {
            try {
                reconciler.execute(() -> apply(s));
            } catch (RejectedExecutionException closing) {
                // the node is closing: its streams are stopped by close() itself
            }
        });
        lifecycle = gate.lifecycle(camel);
    }

    GateNode start() {
        camel.start();
        lifecycle.start();
        reconciler.scheduleWithFixedDelay(() -> streams.forEach(this::apply), 0, 250, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The streams this node runs now. */
    Set<String> running() {
        return Set.copyOf(running);
    }

    private void apply(String stream) {
        StreamGate.Verdict v = gate.check(definition(stream));
        if (v.open()) {
            if (running.add(stream)) {
                publishers.started(stream, id);
            }
        } else {
            stop(stream);
        }
    }

    private synchronized void stop(String stream) {
        if (running.contains(stream)) {
            publishers.stopped(stream, id); // before the gate can see it unpublished and hand it over
            running.remove(stream);
        }
    }

    static StreamDefinition definition(String stream) {
        return new StreamDefinition(stream, stream, "camera", null, true,
                List.of(new Destination("output/" + stream + ".flv", false)), StreamSource.FILE);
    }

    /**
     * Dies as under kill -9: its streams' connections drop (the platform sees them end), its cluster client stops
     * without leaving a namespace (leases and latches are left to expire).
     */
    void kill() {
        reconciler.shutdownNow();
        running.forEach(this::stop);
        try {
            service.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops as the application does: its streams unpublish, then the node leaves the cluster. */
    @Override
    public void close() {
        reconciler.shutdownNow();
        lifecycle.stop();
        running.forEach(this::stop);
        camel.stop();
    }
}
