package io.camrelay.vms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * JSON calls to the API gateway's REST APIs ({@code {base}/api/rest/v1}) with the session's Bearer token: a 401 gets
 * one retry with a fresh token; errors become {@link XProtectApiException}s carrying the VMS's error text
 * (docs/protocols.md §4).
 */
final class RestCalls {

    /** REST base below the gateway URL (§4). */
    static final String API_PATH = "/api/rest/v1";
    /** Longest error text quoted from the VMS. */
    static final int MAX_ERROR_TEXT = 300;

    /** A JSON answer: status and parsed body (an empty object when there was none). */
    record Answer(int status, JsonNode body) {
    }

    private final VmsHttp http;
    private final String base;
    private final AccessTokens tokens;
    private final ObjectMapper json;

    RestCalls(VmsHttp http, String baseUrl, AccessTokens tokens, ObjectMapper json) {
        this.http = http;
        this.base = baseUrl + API_PATH;
        this.tokens = tokens;
        this.json = json;
    }

    /** GET {@code path}; any status is returned, only transport failures throw. */
    Answer get(String path, int maxBytes) {
        return exchange("GET", path, null, maxBytes);
    }

    /** POST {@code body} as JSON to {@code path}; any status is returned. */
    Answer post(String path, JsonNode body, int maxBytes) {
        return exchange("POST", path, body, maxBytes);
    }

    /** The answer's body, or an {@link XProtectApiException} naming the call, status and VMS error text. */
    JsonNode require(String method, String path, Answer a) {
        if (a.status() >= 200 && a.status() < 300) {
            return a.body();
        }
        throw new XProtectApiException("XProtect REST " + method + " " + API_PATH + path + " answered HTTP "
                + a.status() + errorText(a.body()) + hint(a.status()), a.status());
    }

    ObjectMapper json() {
        return json;
    }

    private Answer exchange(String method, String path, JsonNode body, int maxBytes) {
        String token = tokens.accessToken();
        Answer a = once(method, path, body, maxBytes, token);
        if (a.status() == 401) {
            tokens.accessTokenRejected(token);
            a = once(method, path, body, maxBytes, tokens.accessToken());
        }
        return a;
    }

    private Answer once(String method, String path, JsonNode body, int maxBytes, String token) {
        HttpRequest.Builder b = http.request(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        VmsHttp.Response r = http.send(b.build(), maxBytes);
        return new Answer(r.status(), parse(method, path, r));
    }

    private JsonNode parse(String method, String path, VmsHttp.Response r) {
        if (r.body().length == 0) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            if (!r.ok()) {
                return json.createObjectNode();
            }
            throw new VmsUnavailableException("XProtect REST " + method + " " + API_PATH + path + " answered HTTP "
                    + r.status() + " with a body that is not JSON (" + r.contentType() + "): is camrelay.xprotect.url"
                    + " the API gateway (XProtect 2022 R2 or newer)?", null);
        }
    }

    /** The VMS's error text from {@code {"error":…}} or {@code {"httpCode":…,"details":[…]}}, quoted briefly. */
    static String errorText(JsonNode body) {
        StringBuilder b = new StringBuilder();
        JsonNode error = body.path("error");
        if (error.isTextual()) {
            b.append(error.asText());
        } else if (error.isObject()) {
            appendDetails(b, error);
            if (b.length() == 0) {
                b.append(error);
            }
        }
        if (b.length() == 0) {
            appendDetails(b, body);
        }
        if (b.length() == 0) {
            return "";
        }
        String text = b.length() > MAX_ERROR_TEXT ? b.substring(0, MAX_ERROR_TEXT) + "…" : b.toString();
        return " (" + text + ")";
    }

    private static void appendDetails(StringBuilder b, JsonNode node) {
        for (String field : new String[] {"message", "errorText", "error_description"}) {
            if (node.path(field).isTextual()) {
                b.append(node.path(field).asText());
                return;
            }
        }
        JsonNode details = node.path("details");
        if (details.isArray()) {
            for (JsonNode d : details) {
                if (b.length() > 0) {
                    b.append("; ");
                }
                b.append(d.isTextual() ? d.asText() : d.path("errorText").asText(d.toString()));
            }
        }
    }

    private static String hint(int status) {
        return switch (status) {
            case 401 -> ": the access token was refused twice; check the user's rights";
            case 403 -> ": the user lacks the permission; give it the needed role in the Management Client";
            default -> "";
        };
    }
}
