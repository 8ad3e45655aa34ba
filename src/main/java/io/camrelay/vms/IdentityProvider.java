package io.camrelay.vms;

import io.camrelay.support.Secrets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The XProtect identity provider: an OAuth password grant for a basic user (docs/protocols.md §3.1).
 * Refreshing is repeating the grant; there is no refresh token in this flow.
 */
final class IdentityProvider {

    /** Token endpoint below the management server (§3.1); the API gateway serves it as {@code /API/IDP/...}. */
    static final String TOKEN_PATH = "/IDP/connect/token";
    /** The client id XProtect's password grant expects (§3.1). */
    static final String CLIENT_ID = "GrantValidatorClient";
    /** The OAuth error a wrong user name or password produces (§3.1, RFC 6749 §5.2). */
    static final String INVALID_GRANT = "invalid_grant";
    /** The IDP's default {@code expires_in} when it leaves it out (§3.1). */
    static final Duration DEFAULT_EXPIRES_IN = Duration.ofHours(1);
    /** A token reply is a few KB; anything bigger is not an IDP. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;

    /** An OAuth access token (the Bearer for SOAP Login and REST). */
    record AccessToken(String value, Duration expiresIn) {
        @Override
        public String toString() {
            return "AccessToken[" + Secrets.MASK + ", expiresIn=" + expiresIn + "]";
        }
    }

    /** The IDP refused the credentials; {@code reason} is its OAuth error code or the HTTP status. */
    static final class CredentialsRefused extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        CredentialsRefused(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }
    }

    private final VmsHttp http;
    private final VmsConfiguration config;
    private final ObjectMapper json;
    private final URI endpoint;

    IdentityProvider(VmsHttp http, VmsConfiguration config, ObjectMapper json) {
        this.http = http;
        this.config = config;
        this.json = json;
        this.endpoint = URI.create(config.baseUrl() + TOKEN_PATH);
    }

    /** Requests an access token with the configured user's password. */
    AccessToken passwordGrant() throws CredentialsRefused {
        String form = "grant_type=password&username=" + enc(config.getUsername()) + "&password="
                + enc(config.getPassword()) + "&client_id=" + CLIENT_ID;
        HttpRequest request = http.request(endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
        VmsHttp.Response r = http.send(request, MAX_RESPONSE_BYTES);
        JsonNode body = parse(r);
        if (r.status() == 401 || r.status() == 400 && INVALID_GRANT.equals(body.path("error").asText())) {
            throw new CredentialsRefused(r.status() == 401 ? "HTTP 401" : INVALID_GRANT);
        }
        if (!r.ok()) {
            throw new VmsUnavailableException("the XProtect identity provider at " + endpoint + " answered HTTP "
                    + r.status() + errorText(body) + ": expected an access token; check that camrelay.xprotect.url"
                    + " is the management server (XProtect 2021 R1 or newer)", null);
        }
        String token = body.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new VmsUnavailableException("the XProtect identity provider at " + endpoint
                    + " answered without an access_token: is camrelay.xprotect.url an XProtect management server?",
                    null);
        }
        long expiresIn = body.path("expires_in").asLong(0);
        return new AccessToken(token, expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_EXPIRES_IN);
    }

    private JsonNode parse(VmsHttp.Response r) {
        try {
            return r.body().length == 0 ? json.createObjectNode() : json.readTree(r.body());
        } catch (IOException e) {
            if (!r.ok()) {
                return json.createObjectNode();
            }
            throw new VmsUnavailableException("the XProtect identity provider at " + endpoint
                    + " answered HTTP " + r.status() + " with a body that is not JSON: is camrelay.xprotect.url an"
                    + " XProtect management server?", null);
        }
    }

    private static String errorText(JsonNode body) {
        String error = body.path("error").asText("");
        String desc = body.path("error_description").asText("");
        if (error.isEmpty() && desc.isEmpty()) {
            return "";
        }
        return " (" + error + (desc.isEmpty() ? "" : ": " + desc) + ")";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    URI endpoint() {
        return endpoint;
    }
}
