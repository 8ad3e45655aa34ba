package io.camrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A running CamRelay's status API on 127.0.0.1, as the application ITs read it. */
public final class StatusApi {

    private static final HttpClient HTTP = TestHttp.client();
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusApi() {
    }

    /** {@code GET /api/streams/{id}} on {@code port}: the stream's status, or null while it is unknown (not 200). */
    public static JsonNode stream(int port, String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/streams/" + id)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    /** The stream's {@code state}, or null while it is unknown. */
    public static String state(int port, String id) throws Exception {
        JsonNode s = stream(port, id);
        return s == null ? null : s.get("state").asText();
    }
}
