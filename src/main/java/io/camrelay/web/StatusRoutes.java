package io.camrelay.web;

import io.camrelay.streams.*;
import io.camrelay.support.MeterNames;
import io.camrelay.support.Secrets;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The status API and console on the business HTTP server ({@code camel.server.*}, docs/design.md §6):
 * {@code GET /api/streams} (array), {@code GET /api/streams/{id}} (object or 404), {@code GET /api/history} (the
 * console's sparklines and recent state changes, {@link ConsoleHistory}), {@code GET /} (the console,
 * {@code classpath:web/index.html}), {@code GET /observe/health} (also {@code /live}, {@code /ready}; 503 when
 * a check is DOWN) and {@code GET /observe/metrics} (Prometheus). Health and metrics are served here rather than by
 * Camel's management server because, sharing one port, the management server's routes bypass the basic
 * authentication that a non-loopback binding requires (docs/design.md §8).
 */
public class StatusRoutes extends RouteBuilder {

    /** The console page on the class path. */
    static final String DASHBOARD = "web/index.html";
    static final String JSON = "application/json";
    /** Where health is served (Camel's management path, kept for tools that know it). */
    public static final String HEALTH = "/observe/health";
    /** Where Prometheus metrics are served. */
    public static final String METRICS = "/observe/metrics";
    /** Prometheus text exposition format 0.0.4. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** How often the console's history samples every stream's bit rate and frame rate. */
    static final long SAMPLE_MS = 2000;

    private final StreamStatusRegistry registry;

    /** Routes on the registry bound as {@value StreamStatusRegistry#BEAN_NAME}. */
    public StatusRoutes() {
        this(null);
    }

    /** Routes on {@code registry}. */
    public StatusRoutes(StreamStatusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void configure() throws Exception {
        StreamStatusRegistry streams = registry != null ? registry : getContext().getRegistry()
                .lookupByNameAndType(StreamStatusRegistry.BEAN_NAME, StreamStatusRegistry.class);
        if (streams == null) {
            throw new IllegalStateException("no StreamStatusRegistry is bound as '" + StreamStatusRegistry.BEAN_NAME
                    + "': bind one before adding StatusRoutes");
        }
        ObjectMapper json = StreamStatusRegistry.jsonMapper();
        String page = dashboard();

        from("platform-http:/api/streams?httpMethodRestrict=GET").routeId("status-api-streams")
                .process(e -> reply(e, 200, JSON, json.writeValueAsString(streams.snapshot())));

        from("platform-http:/api/streams/{id}?httpMethodRestrict=GET").routeId("status-api-stream")
                .process(e -> {
                    String id = e.getMessage().getHeader("id", String.class);
                    var status = streams.snapshot(id == null ? "" : id);
                    if (status.isPresent()) {
                        reply(e, 200, JSON, json.writeValueAsString(status.get()));
                    } else {
                        reply(e, 404, JSON, json.writeValueAsString(Map.of("error", "no stream with id '"
                                + String.valueOf(id).replaceAll("[^a-z0-9-]", "?") + "': GET /api/streams lists them")));
                    }
                });

        // the console's sparklines and state lists (ConsoleHistory): a sample every SAMPLE_MS, the changes as they come
        ConsoleHistory history = new ConsoleHistory();
        streams.addListener((status, before) -> history.changed(status, before, java.time.Instant.now()));
        from("timer:camrelay-console-history?period=" + SAMPLE_MS + "&delay=0").routeId("status-console-history")
                .process(e -> history.sample(streams.snapshot(), System.currentTimeMillis()));
        from("platform-http:/api/history?httpMethodRestrict=GET").routeId("status-api-history")
                .process(e -> reply(e, 200, JSON, json.writeValueAsString(history.snapshot())));

        from("platform-http:/?httpMethodRestrict=GET").routeId("status-dashboard")
                .process(e -> reply(e, 200, "text/html; charset=utf-8", page));

        from("platform-http:" + HEALTH + "?httpMethodRestrict=GET").routeId("status-health")
                .process(e -> health(e, json, HealthCheckHelper.invoke(getContext(), check -> Map.of(),
                        check -> false, "full")));
        from("platform-http:" + HEALTH + "/live?httpMethodRestrict=GET").routeId("status-health-live")
                .process(e -> health(e, json, HealthCheckHelper.invokeLiveness(getContext())));
        from("platform-http:" + HEALTH + "/ready?httpMethodRestrict=GET").routeId("status-health-ready")
                .process(e -> health(e, json, HealthCheckHelper.invokeReadiness(getContext())));
        from("platform-http:" + METRICS + "?httpMethodRestrict=GET").routeId("status-metrics")
                .process(this::metrics);
    }

    /**
     * Camel's health format ({@code status}, {@code checks[name, status, message]}), 503 when anything is DOWN.
     * Details are left out: Camel's route and consumer checks would show endpoint URIs, which may hold keys.
     */
    private static void health(Exchange e, ObjectMapper json, Collection<HealthCheck.Result> results)
            throws Exception {
        boolean up = HealthCheckHelper.isResultsUp(results, false);
        List<Map<String, Object>> checks = new ArrayList<>();
        results.stream().sorted(Comparator.comparing(r -> r.getCheck().getId())).forEach(r -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", r.getCheck().getId());
            c.put("status", r.getState().name());
            r.getMessage().ifPresent(m -> c.put("message", Secrets.maskUrlsIn(m)));
            checks.add(c);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        reply(e, up ? 200 : 503, JSON, json.writeValueAsString(body));
    }

    private void metrics(Exchange e) {
        PrometheusMeterRegistry meters = getContext().getRegistry()
                .lookupByNameAndType(MeterNames.REGISTRY_BEAN, PrometheusMeterRegistry.class);
        if (meters == null) {
            reply(e, 404, "text/plain; charset=utf-8", "metrics are off: set camel.metrics.enabled=true\n");
        } else {
            reply(e, 200, PROMETHEUS_TEXT, meters.scrape());
        }
    }

    private static void reply(Exchange e, int code, String contentType, String body) {
        e.getMessage().removeHeaders("*");
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        e.getMessage().setHeader("Cache-Control", "no-store");
        e.getMessage().setBody(body);
    }

    private static String dashboard() throws IOException {
        try (InputStream in = StatusRoutes.class.getClassLoader().getResourceAsStream(DASHBOARD)) {
            if (in == null) {
                throw new IllegalStateException(DASHBOARD + " is missing from the class path: the jar is incomplete");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
