package io.camrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers for the simulator's JDK HTTP handlers. */
final class SimHttp {

    /** Largest request body the simulator reads; VMS requests are small. */
    static final int MAX_REQUEST_BYTES = 256 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();

    private SimHttp() {
    }

    /** The request body, or null when it exceeds {@link #MAX_REQUEST_BYTES}. */
    static byte[] body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_REQUEST_BYTES + 1);
            return b.length > MAX_REQUEST_BYTES ? null : b;
        }
    }

    /** The Bearer token of the request, or null. */
    static String bearer(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return auth.substring(7).trim();
    }

    static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        if (body.length == 0) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    static void text(HttpExchange ex, int status, String contentType, String body) throws IOException {
        send(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** XProtect's REST error envelope {@code {"error":{"httpCode":…,"details":[{"errorText":…}]}}}. */
    static void restError(HttpExchange ex, int status, String text) throws IOException {
        var root = JSON.createObjectNode();
        var error = root.putObject("error");
        error.put("httpCode", status);
        error.putArray("details").addObject().put("errorText", text);
        json(ex, status, root);
    }

    /** XProtect's validation error envelope {@code {"httpCode":"400","details":[…]}}. */
    static void badRequest(HttpExchange ex, String text) throws IOException {
        var root = JSON.createObjectNode();
        root.put("httpCode", "400");
        root.putArray("details").addObject().put("errorText", text);
        json(ex, 400, root);
    }
}
