package io.camrelay.streams;

import io.camrelay.support.Secrets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the running streams match the desired definitions (docs/design.md §1, §7: "a change to one stream
 * definition touches only that stream's route"): a new stream gets its outputs ({@link StreamOutputsRegistry}: the
 * destinations' sinks, which outlive the route, docs/design.md §7a) and a route from the template; a stream whose
 * camera side changed (a different {@link StreamDefinition#fingerprint()}) gets a new route while its outputs hold;
 * changed destinations, {@code hold} and {@code rotate} go to the outputs without touching the route (only a changed
 * destination republishes); a removed or disabled stream has its outputs closed (its destinations unpublish) and its
 * route removed; an unchanged one is left running. One stream's failure puts that stream in ERROR and never stops
 * the others. Calls are serialized: the definitions route calls it from one thread.
 */
public final class StreamReconciler {

    /** The id of the route template every stream route is made from. */
    public static final String TEMPLATE_ID = "camrelay-stream";

    /** Template parameter: the stream id. */
    public static final String PARAM_STREAM_ID = "streamId";
    /** Template parameter: the resolved camera id (for {@code xprotect:{{cameraId}}}). */
    public static final String PARAM_CAMERA_ID = "cameraId";
    /** Template parameter: the camera's stream reference id, empty for the default live stream. */
    public static final String PARAM_CAMERA_STREAM = "cameraStream";

    private static final Logger LOG = LoggerFactory.getLogger(StreamReconciler.class);

    private final CamelContext camel;
    private final StreamStatusRegistry registry;
    private final CameraResolver cameras;
    private final StreamOutputsRegistry outputs;
    private final String templateId;
    private final BiFunction<StreamDefinition, CameraResolver.ResolvedCamera, Map<String, Object>> parameters;
    private final List<StreamGate> gates;
    /** Route fingerprints of the routes this reconciler added, by stream id. */
    private final Map<String, String> running = new HashMap<>();
    /** The definition of every stream the last poll wanted, for a gate's re-check between polls. */
    private final Map<String, StreamDefinition> desired = new HashMap<>();
    /** Where gates' re-checks run: never on a gate's own thread (a timer, a cluster client's event thread). */
    private final ExecutorService rechecks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "camrelay-stream-gates");
        t.setDaemon(true);
        return t;
    });

    /** A reconciler on the standard template with the standard parameters. */
    public StreamReconciler(CamelContext camel, StreamStatusRegistry registry, CameraResolver cameras,
                            StreamOutputsRegistry outputs) {
        this(camel, registry, cameras, outputs, List.of());
    }

    /** A reconciler on the standard template whose streams run only where every one of {@code gates} lets them. */
    public StreamReconciler(CamelContext camel, StreamStatusRegistry registry, CameraResolver cameras,
                            StreamOutputsRegistry outputs, List<StreamGate> gates) {
        this(camel, registry, cameras, outputs, TEMPLATE_ID, StreamReconciler::standardParameters, gates);
    }

    /**
     * A reconciler with another template or parameters.
     *
     * @param parameters the template parameters of a stream; they end up in route dumps, so never put a key there
     */
    public StreamReconciler(CamelContext camel, StreamStatusRegistry registry, CameraResolver cameras,
                            StreamOutputsRegistry outputs, String templateId,
                            BiFunction<StreamDefinition, CameraResolver.ResolvedCamera, Map<String, Object>> parameters) {
        this(camel, registry, cameras, outputs, templateId, parameters, List.of());
    }

    StreamReconciler(CamelContext camel, StreamStatusRegistry registry, CameraResolver cameras,
                             StreamOutputsRegistry outputs, String templateId,
                             BiFunction<StreamDefinition, CameraResolver.ResolvedCamera, Map<String, Object>> parameters,
                             List<StreamGate> gates) {
        this.camel = Objects.requireNonNull(camel, "camel");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.cameras = Objects.requireNonNull(cameras, "cameras");
        this.outputs = Objects.requireNonNull(outputs, "outputs");
        this.templateId = Objects.requireNonNull(templateId, "templateId");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.gates = List.copyOf(gates);
        for (StreamGate gate : this.gates) {
            gate.onChange(id -> rechecks.execute(() -> recheck(id)));
        }
    }

    /**
     * The standard template parameters: {@value #PARAM_STREAM_ID}, {@value #PARAM_CAMERA_ID} and
     * {@value #PARAM_CAMERA_STREAM}. No URL: the route reads its destinations
     * (with keys) from {@link StreamStatusRegistry#definition(String)}, so keys stay out of route dumps.
     */
    public static Map<String, Object> standardParameters(StreamDefinition d, CameraResolver.ResolvedCamera camera) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(PARAM_STREAM_ID, d.id());
        p.put(PARAM_CAMERA_ID, camera.id());
        p.put(PARAM_CAMERA_STREAM, d.cameraStream() == null ? "" : d.cameraStream());
        return p;
    }

    /** The ids of the streams whose routes this reconciler runs. */
    public synchronized Set<String> runningIds() {
        return Set.copyOf(running.keySet());
    }

    /** Applies one poll's desired set. */
    public synchronized void reconcile(DesiredStreams desired) {
        if (camel.isStopping()) {
            // the application stops: its stream routes are stopping and have unpublished; a poll that ran now would
            // open their destinations again (a second, empty publish at every platform) and add routes
            LOG.debug("definitions poll during the application's stop: not applied");
            return;
        }
        this.desired.clear();
        for (StreamDefinition d : desired.streams()) {
            this.desired.put(d.id(), d);
        }
        Set<String> wanted = new HashSet<>();
        for (StreamProblem p : desired.problems()) {
            wanted.add(p.id());
            outputs.close(p.id());
            removeRoute(p.id(), true);
            registry.problem(p);
        }
        for (StreamDefinition d : desired.streams()) {
            wanted.add(d.id());
        }
        for (String id : Set.copyOf(running.keySet())) {
            if (!wanted.contains(id)) {
                LOG.info("stream {} is no longer defined: stopping it", id);
                outputs.close(id);
                removeRoute(id, true);
            }
        }
        for (String id : registry.ids()) {
            if (!wanted.contains(id)) {
                outputs.close(id);
                registry.remove(id);
                gates.forEach(g -> g.forget(id));
            }
        }
        for (StreamDefinition d : desired.streams()) {
            apply(d);
        }
    }

    /** A gate said stream {@code id}'s verdict may have changed: apply its last definition again. */
    synchronized void recheck(String id) {
        StreamDefinition d = desired.get(id);
        if (d != null && !camel.isStopping()) {
            apply(d);
        }
    }

    /** Every gate's verdict on {@code d}: the first closed one, or open (with the owner and a note any gate gave). */
    private StreamGate.Verdict verdict(StreamDefinition d) {
        String owner = null;
        String note = null;
        for (StreamGate gate : gates) {
            StreamGate.Verdict v = gate.check(d);
            if (!v.open()) {
                return v;
            }
            owner = v.owner() != null ? v.owner() : owner;
            note = v.reason() != null ? v.reason() : note;
        }
        return owner == null && note == null ? StreamGate.Verdict.OPEN
                : new StreamGate.Verdict(true, null, note, null, owner);
    }

    private void apply(StreamDefinition d) {
        if (d.enabled() && !gates.isEmpty()) {
            StreamGate.Verdict verdict = verdict(d);
            if (!verdict.open()) {
                StreamTracker tracker = registry.define(d);
                if (running.containsKey(d.id()) || camel.getRoute(d.routeId()) != null) {
                    LOG.info("stream {} stops: {}", d.id(), verdict.reason());
                }
                // the gate's state first: closing the outputs of a STREAMING stream would show it STARTING meanwhile
                tracker.gate(verdict);
                outputs.close(d.id());
                removeRoute(d.id(), false);
                tracker.gate(verdict);
                return;
            }
            registry.define(d).gate(verdict);
        }
        String fingerprint = d.fingerprint();
        if (fingerprint.equals(running.get(d.id())) && camel.getRoute(d.routeId()) != null) {
            registry.define(d);
            openOutputs(d);
            return;
        }
        StreamTracker tracker = registry.define(d);
        if (!d.enabled()) {
            outputs.close(d.id());
            removeRoute(d.id(), false); // the definition shows DISABLED
            tracker.gate(StreamGate.Verdict.OPEN); // no next start or owner a gate gave before
            return;
        }
        if (running.containsKey(d.id())) {
            LOG.info("stream {}'s camera side changed: restarting only its route; its destinations hold", d.id());
            removeRoute(d.id(), false);
        }
        CameraResolver.ResolvedCamera camera;
        try {
            camera = cameras.resolve(d.camera());
            tracker.camera(camera.id(), camera.name());
        } catch (CameraResolver.CameraNotFoundException e) {
            tracker.state(StreamState.ERROR, "stream '" + d.id() + "': " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            tracker.state(StreamState.ERROR, "stream '" + d.id() + "': the camera '" + d.camera() + "' could not be"
                    + " looked up in XProtect (" + e.getMessage() + "); retrying at the next poll");
            return;
        }
        if (!openOutputs(d)) {
            return;
        }
        try {
            tracker.state(StreamState.STARTING, null);
            TemplatedRouteBuilder.builder(camel, templateId).routeId(d.routeId())
                    .parameters(parameters.apply(d, camera)).add();
            running.put(d.id(), fingerprint);
            // The supervising route controller supervises but does not start a route added at run time.
            camel.getRouteController().startRoute(d.routeId());
            LOG.info("stream {} started ({} destination(s))", d.id(), d.destinations().size());
        } catch (Exception e) {
            String reason = "stream '" + d.id() + "' could not be started: " + Secrets.rootMessage(e);
            // the exception itself is logged at DEBUG only: a component's message may quote an endpoint URI with a key
            LOG.error(reason);
            LOG.debug("stream {} start failure", d.id(), e);
            if (camel.getRoute(d.routeId()) == null) {
                running.remove(d.id());
            }
            tracker.state(StreamState.ERROR, reason);
        }
    }

    /** Opens the stream's outputs or passes them the changed definition; false (stream in ERROR) when it fails. */
    private boolean openOutputs(StreamDefinition d) {
        try {
            outputs.open(d);
            return true;
        } catch (RuntimeException e) {
            String reason = "stream '" + d.id() + "': its destinations could not be opened: " + Secrets.rootMessage(e);
            LOG.error(reason);
            LOG.debug("stream {} outputs failure", d.id(), e);
            registry.state(d.id(), StreamState.ERROR, reason);
            return false;
        }
    }

    /** Removes the stream's route; {@code stopped}: the stream itself stops (not only its camera side). */
    private void removeRoute(String id, boolean stopped) {
        String routeId = StreamDefinition.routeIdOf(id);
        running.remove(id);
        if (camel.getRoute(routeId) == null) {
            return;
        }
        try {
            camel.getRouteController().stopRoute(routeId);
            if (!camel.removeRoute(routeId)) {
                LOG.warn("route {} did not stop in time and could not be removed; retrying at the next poll", routeId);
            }
        } catch (Exception e) {
            LOG.warn("route {} could not be removed: {}", routeId, Secrets.rootMessage(e));
            LOG.debug("route {} removal failure", routeId, e);
        }
        StreamTracker t = registry.stream(id);
        if (stopped && t != null && t.currentState() != StreamState.ERROR) {
            t.state(StreamState.STOPPED, null);
        }
    }

    /** For tests: what the reconciler believes runs. */
    synchronized Map<String, String> fingerprints() {
        return Map.copyOf(running);
    }
}
