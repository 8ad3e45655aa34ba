package io.camrelay.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The status API and dashboard on the business HTTP server ({@code camel.server.*}, architecture.md §6):
 * {@code GET /api/streams} (array), {@code GET /api/streams/{id}} (object or 404), {@code GET /} (the dashboard,
 * {@code classpath:status/index.html}). Health and metrics are served by the management server under
 * {@code /observe}.
 */
public class StatusRoutes extends RouteBuilder {

    /** The dashboard page on the class path. */
    static final String DASHBOARD = "status/index.html";
    static final String JSON = "application/json";

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

        from("platform-http:/?httpMethodRestrict=GET").routeId("status-dashboard")
                .process(e -> reply(e, 200, "text/html; charset=utf-8", page));
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
