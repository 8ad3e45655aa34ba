package io.camrelay.web;

import io.camrelay.streams.StreamOutputs;
import io.camrelay.streams.StreamOutputsRegistry;
import io.camrelay.streams.StreamState;
import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.streams.StreamTracker;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code GET /api/streams/{id}/preview.mp4} (architecture §12): the running stream as fragmented MP4, one
 * {@link PreviewViewer} per client attached to the stream's outputs only while it watches. A Vert.x route on the
 * status server's router, behind the same {@link StatusAccess} as every other path (the platform-http server puts
 * its authentication handlers first on that router), answered on the event loop without blocking: a response that
 * streams for as long as the client stays cannot be a Camel exchange. At most {@code camrelay.preview.max-viewers}
 * viewers per stream; more get a 503 that says so.
 */
public final class LivePreview {

    /** Property: viewers per stream at most; 0 turns the preview off. */
    public static final String MAX_VIEWERS = "camrelay.preview.max-viewers";
    /** Its default. */
    public static final int DEFAULT_MAX_VIEWERS = 4;
    /** The largest value accepted. */
    static final int MAX_MAX_VIEWERS = 100;
    /** The path, as Vert.x writes it. */
    static final String PATH = "/api/streams/:id/preview.mp4";

    private static final Logger LOG = LoggerFactory.getLogger(LivePreview.class);

    private final StreamStatusRegistry status;
    private final StreamOutputsRegistry outputs;
    private final int maxViewers;
    private final Map<String, AtomicInteger> viewers = new ConcurrentHashMap<>();

    public LivePreview(StreamStatusRegistry status, StreamOutputsRegistry outputs, int maxViewers) {
        this.status = status;
        this.outputs = outputs;
        this.maxViewers = maxViewers;
    }

    /** {@value #MAX_VIEWERS} as configured (null: the default); a wrong value fails naming the key and the fix. */
    public static int maxViewers(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_VIEWERS;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0 && n <= MAX_MAX_VIEWERS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("camrelay.preview.max-viewers = '" + value.strip() + "' is not a whole"
                + " number from 0 to " + MAX_MAX_VIEWERS + ": set the live preview's viewers per stream (0 turns the preview off; default "
                + DEFAULT_MAX_VIEWERS + ")");
    }

    /** Adds the route to the status server's router; call once the server runs (the context has started). */
    public void install(CamelContext camel) {
        VertxPlatformHttpRouter router = camel.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                .filter(VertxPlatformHttpRouter::isMainServer).findFirst()
                .orElseGet(() -> VertxPlatformHttpRouter.lookup(camel));
        if (router == null) {
            throw new IllegalStateException("the status server's router is not in the Camel registry: the live "
                    + "preview needs camel.server.enabled=true");
        }
        router.get(PATH).handler(this::handle);
    }

    /** Viewers of stream {@code id} now. */
    public int viewers(String id) {
        AtomicInteger n = viewers.get(id);
        return n == null ? 0 : n.get();
    }

    private void handle(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        StreamTracker tracker = id == null ? null : status.stream(id);
        if (tracker == null) {
            error(ctx, 404, "no stream with id '" + printable(id) + "': GET /api/streams lists them");
            return;
        }
        Optional<StreamOutputs> out = outputs.get(id);
        StreamState state = tracker.currentState();
        if (out.isEmpty()) {
            error(ctx, 409, "stream '" + id + "' is " + state + ": only a running stream has a live preview");
            return;
        }
        if (maxViewers == 0) {
            error(ctx, 503, "the live preview is off (" + MAX_VIEWERS + " = 0): set it to 1 or more to watch streams");
            return;
        }
        AtomicInteger count = viewers.computeIfAbsent(id, k -> new AtomicInteger());
        if (count.incrementAndGet() > maxViewers) {
            count.decrementAndGet();
            error(ctx, 503, "stream '" + id + "' already has " + maxViewers + " preview viewers, the most"
                    + " camrelay.preview.max-viewers allows: close another preview of it or raise"
                    + " camrelay.preview.max-viewers");
            return;
        }
        HttpServerRequest request = ctx.request();
        String client = String.valueOf(request.remoteAddress());
        StreamOutputs stream = out.get();
        PreviewViewer[] self = new PreviewViewer[1];
        self[0] = new PreviewViewer(ctx.vertx().getOrCreateContext(), request.connection(), ctx.response(), dropped -> {
            count.decrementAndGet();
            ctx.vertx().executeBlocking(() -> {
                stream.unwatch(self[0]);
                return null;
            }, false);
            if (dropped != null) {
                try (MDC.MDCCloseable m = MDC.putCloseable("streamId", id)) {
                    LOG.info("stream {}: preview viewer {} was dropped: {}; the stream and its destinations went on",
                            id, client, dropped);
                }
            }
        });
        // the outputs' lock is held by the route only while it hands a picture to its sinks: take it off the loop
        ctx.vertx().executeBlocking(() -> stream.watch(self[0]), false).onComplete(r -> {
            if (r.failed() || !Boolean.TRUE.equals(r.result())) {
                self[0].stop();
            }
        });
    }

    private static void error(RoutingContext ctx, int code, String message) {
        ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(new JsonObject().put("error", message).encode());
    }

    private static String printable(String s) {
        return String.valueOf(s).replaceAll("[^a-z0-9-]", "?");
    }
}
