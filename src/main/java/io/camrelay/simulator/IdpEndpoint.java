package io.camrelay.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The simulated identity provider: discovery and the password grant of a basic user
 * (docs/protocols.md §3.1). Wrong credentials get 400 {@code {"error":"invalid_grant"}}.
 */
final class IdpEndpoint implements HttpHandler {

    static final String DISCOVERY_PATH = "/IDP/.well-known/openid-configuration";
    static final String TOKEN_PATH = "/IDP/connect/token";
    /** XProtect 2025 R2 reports major version 25 (≥ 21 means OAuth, §3.1). */
    static final String SERVER_VERSION = "25.2.0.1";

    private final XProtectSimulator vms;

    IdpEndpoint(XProtectSimulator vms) {
        this.vms = vms;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals(DISCOVERY_PATH) && method.equals("GET")) {
            var doc = SimHttp.JSON.createObjectNode();
            doc.put("issuer", vms.baseUrl() + "/IDP");
            doc.put("token_endpoint", vms.baseUrl() + TOKEN_PATH);
            doc.put("server_version", SERVER_VERSION);
            doc.putArray("grant_types_supported").add("password").add("windows_credentials");
            SimHttp.json(ex, 200, doc);
        } else if (path.equals(TOKEN_PATH) && method.equals("POST")) {
            token(ex);
        } else {
            SimHttp.json(ex, 404, SimHttp.JSON.createObjectNode().put("error", "not_found"));
        }
    }

    private void token(HttpExchange ex) throws IOException {
        byte[] body = SimHttp.body(ex);
        if (body == null) {
            SimHttp.json(ex, 413, SimHttp.JSON.createObjectNode().put("error", "invalid_request"));
            return;
        }
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        vms.countTokenRequest();
        if (!"password".equals(form.get("grant_type"))) {
            oauthError(ex, "unsupported_grant_type");
        } else if (!"GrantValidatorClient".equals(form.get("client_id"))) {
            oauthError(ex, "invalid_client");
        } else if (!vms.credentialsMatch(form.get("username"), form.get("password"))) {
            vms.countRefusedTokenRequest();
            oauthError(ex, "invalid_grant");
        } else {
            var doc = SimHttp.JSON.createObjectNode();
            doc.put("access_token", vms.tokens().issueAccess(vms.accessTokenTtl()));
            doc.put("expires_in", vms.accessTokenTtl().toSeconds());
            doc.put("token_type", "Bearer");
            doc.put("scope", "managementserver");
            SimHttp.json(ex, 200, doc);
        }
    }

    private static void oauthError(HttpExchange ex, String error) throws IOException {
        SimHttp.json(ex, 400, SimHttp.JSON.createObjectNode().put("error", error));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
