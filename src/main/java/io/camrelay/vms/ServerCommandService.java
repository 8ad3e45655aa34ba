package io.camrelay.vms;

import io.camrelay.support.Secrets;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

/**
 * SOAP {@code Login}/{@code Logout} on the management server's ServerCommandServiceOAuth (docs/protocols.md §3.2,
 * §3.3): turns an OAuth access token into the VMS token the recorders accept.
 */
final class ServerCommandService {

    /** Service path below the management server (§3.2). */
    static final String PATH = "/ManagementServer/ServerCommandServiceOAuth.svc";
    /** The service's XML namespace (§3.2). */
    static final String NAMESPACE = "http://videoos.net/2/XProtectCSServerCommand";
    /** SOAPAction prefix; the operation name follows (§3.2). */
    static final String ACTION_PREFIX = NAMESPACE + "/IServerCommandService/";
    /** SOAP 1.1 envelope namespace. */
    static final String SOAP_ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/";
    /** A Login reply is well under a kilobyte; bound what we parse (docs/design.md §8). */
    static final int MAX_RESPONSE_BYTES = 256 * 1024;

    /** A VMS token and how long it lives ({@code TimeToLive/MicroSeconds}). */
    record VmsToken(String value, Duration timeToLive, String registrationTime) {
        @Override
        public String toString() {
            return "VmsToken[" + Secrets.MASK + ", timeToLive=" + timeToLive + "]";
        }
    }

    /** The service refused the Bearer access token (HTTP 401/403). */
    static final class AccessTokenRefused extends Exception {
        private static final long serialVersionUID = 1L;

        AccessTokenRefused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final VmsHttp http;
    private final URI endpoint;

    ServerCommandService(VmsHttp http, VmsConfiguration config) {
        this.http = http;
        this.endpoint = URI.create(config.baseUrl() + PATH);
    }

    /** {@code Login}: a new VMS token for {@code instanceId}; {@code currentToken} is the token being renewed or "". */
    VmsToken login(String accessToken, String instanceId, String currentToken) throws AccessTokenRefused {
        return loginReply(call("Login", accessToken, instanceId, currentToken), endpoint);
    }

    /**
     * The VMS token in a parsed {@code LoginResponse} from {@code endpoint}.
     *
     * @throws VmsUnavailableException when the reply has no token or no usable TimeToLive
     */
    static VmsToken loginReply(Document doc, URI endpoint) {
        String token = SoapXml.text(doc, "Token").orElse("");
        if (token.isEmpty()) {
            throw malformed(endpoint, "Login", "no LoginResult/Token");
        }
        String micros = SoapXml.text(doc, "MicroSeconds").orElse("");
        long us;
        try {
            us = Long.parseLong(micros);
        } catch (NumberFormatException e) {
            throw malformed(endpoint, "Login", "TimeToLive/MicroSeconds '" + micros + "' is not a number");
        }
        if (us <= 0) {
            throw malformed(endpoint, "Login", "TimeToLive/MicroSeconds " + us + " (expected > 0)");
        }
        // any positive long of µs is a Duration (up to 292,000 years); the session bounds what it does with it
        return new VmsToken(token, Duration.of(us, ChronoUnit.MICROS), SoapXml.text(doc, "RegistrationTime").orElse(""));
    }

    /** {@code Logout}: ends the VMS session of {@code instanceId}. */
    void logout(String accessToken, String instanceId, String currentToken) throws AccessTokenRefused {
        call("Logout", accessToken, instanceId, currentToken);
    }

    private Document call(String operation, String accessToken, String instanceId, String currentToken)
            throws AccessTokenRefused {
        String envelope = "<s:Envelope xmlns:s=\"" + SOAP_ENVELOPE + "\"><s:Body><" + operation + " xmlns=\""
                + NAMESPACE + "\"><instanceId>" + SoapXml.escape(instanceId) + "</instanceId><currentToken>"
                + SoapXml.escape(currentToken) + "</currentToken></" + operation + "></s:Body></s:Envelope>";
        HttpRequest request = http.request(endpoint)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", ACTION_PREFIX + operation)
                .header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8))
                .build();
        VmsHttp.Response r = http.send(request, MAX_RESPONSE_BYTES);
        if (r.status() == 401 || r.status() == 403) {
            throw new AccessTokenRefused("HTTP " + r.status());
        }
        Document doc = r.body().length == 0 ? null : parse(operation, r.body());
        if (doc != null && SoapXml.first(doc, "Fault").isPresent()) {
            String fault = SoapXml.text(doc, "faultstring").or(() -> SoapXml.text(doc, "Text")).orElse("unknown");
            throw new VmsUnavailableException("XProtect SOAP " + operation + " at " + endpoint + " failed: "
                    + Secrets.mask(fault, accessToken, currentToken) + " (HTTP " + r.status() + ")", null);
        }
        if (!r.ok() || doc == null) {
            throw new VmsUnavailableException("XProtect SOAP " + operation + " at " + endpoint + " answered HTTP "
                    + r.status() + (doc == null ? " with no body" : "") + ": expected a " + operation
                    + "Response; check that camrelay.xprotect.url is the management server", null);
        }
        return doc;
    }

    private Document parse(String operation, byte[] body) {
        try {
            return SoapXml.parse(body);
        } catch (SAXException e) {
            throw malformed(endpoint, operation, "not well-formed or unsafe XML (" + e.getMessage() + ")");
        }
    }

    private static VmsUnavailableException malformed(URI endpoint, String operation, String what) {
        return new VmsUnavailableException("XProtect SOAP " + operation + " at " + endpoint
                + " gave an unusable reply: " + what, null);
    }
}
