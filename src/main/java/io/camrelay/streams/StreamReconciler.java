package io.camrelay.streams;

import io.camrelay.support.Secrets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the running stream routes match the desired definitions (docs/design.md §1, §7: "a change to one stream
 * definition touches only that stream's route"): a new stream gets a route from the template, a changed one
 * (different {@link StreamDefinition#fingerprint()}) is removed and added again, a removed or disabled one is stopped
 * and removed, an unchanged one is left running. One stream's failure puts that stream in ERROR and never stops the
 * others. Calls are serialized: the definitions route calls it from one thread.
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
    private final String templateId;
    private final BiFunction<StreamDefinition, CameraResolver.ResolvedCamera, Map<String, Object>> parameters;
    /** Route fingerprints of the routes this reconciler added, by stream id. */
    private final Map<String, String> running = new HashMap<>();

    /** A reconciler on the standard template with the standard parameters. */
    public StreamReconciler(CamelContext camel, StreamStatusRegistry registry, CameraResolver cameras) {
        this(camel, registry, cameras, TEMPLATE_ID, StreamReconciler::standardParameters);
    }

    /**
     * A reconciler with another template or parameters.
     *
     * @param parameters the template parameters of a stream; they end up in route dumps, so never put a key there
     */
    public StreamReconciler(CamelContext camel, StreamStatusRegistry registry, CameraResolver cameras,
                            String templateId,
                            BiFunction<StreamDefinition, CameraResolver.ResolvedCamera, Map<String, Object>> parameters) {
        this.camel = Objects.requireNonNull(camel, "camel");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.cameras = Objects.requireNonNull(cameras, "cameras");
        this.templateId = Objects.requireNonNull(templateId, "templateId");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
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
        Set<String> wanted = new HashSet<>();
        for (StreamProblem p : desired.problems()) {
            wanted.add(p.id());
            removeRoute(p.id());
            registry.problem(p);
        }
        for (StreamDefinition d : desired.streams()) {
            wanted.add(d.id());
        }
        for (String id : Set.copyOf(running.keySet())) {
            if (!wanted.contains(id)) {
                LOG.info("stream {} is no longer defined: stopping it", id);
                removeRoute(id);
            }
        }
        for (String id : registry.ids()) {
            if (!wanted.contains(id)) {
                registry.remove(id);
            }
        }
        for (StreamDefinition d : desired.streams()) {
            apply(d);
        }
    }

    private void apply(StreamDefinition d) {
        String fingerprint = d.fingerprint();
        if (fingerprint.equals(running.get(d.id())) && camel.getRoute(d.routeId()) != null) {
            registry.define(d);
            return;
        }
        if (running.containsKey(d.id())) {
            LOG.info("stream {} changed: restarting only its route", d.id());
            removeRoute(d.id());
        }
        StreamTracker tracker = registry.define(d);
        if (!d.enabled()) {
            return;
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

    private void removeRoute(String id) {
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
        if (t != null && t.currentState() != StreamState.ERROR) {
            t.state(StreamState.STOPPED, null);
        }
    }

    /** For tests: what the reconciler believes runs. */
    synchronized Map<String, String> fingerprints() {
        return Map.copyOf(running);
    }
}
