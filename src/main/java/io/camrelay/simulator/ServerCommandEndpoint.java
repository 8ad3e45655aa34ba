package io.camrelay.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The simulated ServerCommandServiceOAuth: SOAP {@code Login} and {@code Logout} with a Bearer access token
 * (docs/protocols.md §3.2, §3.3). A Login whose {@code currentToken} is a token it issued counts as a
 * renewal; every Login issues a new token.
 */
final class ServerCommandEndpoint implements HttpHandler {

    static final String PATH = "/ManagementServer/ServerCommandServiceOAuth.svc";
    static final String NAMESPACE = "http://videoos.net/2/XProtectCSServerCommand";
    static final String ACTION_PREFIX = NAMESPACE + "/IServerCommandService/";
    private static final String ENVELOPE_START =
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>";
    private static final String ENVELOPE_END = "</s:Body></s:Envelope>";
    private static final String XML = "text/xml; charset=utf-8";

    private final XProtectSimulator vms;

    ServerCommandEndpoint(XProtectSimulator vms) {
        this.vms = vms;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals(PATH) || !ex.getRequestMethod().equals("POST")) {
            SimHttp.text(ex, 404, "text/plain", "not found");
            return;
        }
        if (!vms.tokens().accessValid(SimHttp.bearer(ex))) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            SimHttp.text(ex, 401, "text/plain", "401 Unauthorized");
            return;
        }
        byte[] body = SimHttp.body(ex);
        Document doc = body == null ? null : parse(body);
        if (doc == null) {
            fault(ex, "s:Client", "The request is not a well-formed SOAP envelope");
            return;
        }
        String action = String.valueOf(ex.getRequestHeaders().getFirst("SOAPAction")).replace("\"", "");
        String instanceId = text(doc, "instanceId");
        String currentToken = text(doc, "currentToken");
        if (action.equals(ACTION_PREFIX + "Login")) {
            login(ex, instanceId, currentToken);
        } else if (action.equals(ACTION_PREFIX + "Logout")) {
            vms.tokens().revokeVms(currentToken);
            vms.countLogout();
            SimHttp.text(ex, 200, XML, ENVELOPE_START + "<LogoutResponse xmlns=\"" + NAMESPACE + "\"/>"
                    + ENVELOPE_END);
        } else {
            fault(ex, "a:ActionNotSupported", "The action '" + action + "' is not supported by this simulator");
        }
    }

    private void login(HttpExchange ex, String instanceId, String currentToken) throws IOException {
        if (instanceId.isEmpty()) {
            fault(ex, "s:Client", "instanceId is required");
            return;
        }
        boolean renewal = !currentToken.isEmpty() && vms.tokens().vmsKnown(currentToken);
        String token = vms.tokens().issueVms(vms.vmsTokenTtl());
        vms.countLogin(renewal);
        long micros = vms.vmsTokenTtl().toNanos() / 1000;
        String result = "<LoginResponse xmlns=\"" + NAMESPACE + "\"><LoginResult"
                + " xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><RegistrationTime>"
                + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "</RegistrationTime><TimeToLive><MicroSeconds>"
                + micros + "</MicroSeconds></TimeToLive><TimeToLiveLimited>false</TimeToLiveLimited><Token>" + token
                + "</Token></LoginResult></LoginResponse>";
        SimHttp.text(ex, 200, XML, ENVELOPE_START + result + ENVELOPE_END);
    }

    private static void fault(HttpExchange ex, String code, String text) throws IOException {
        SimHttp.text(ex, 500, XML, ENVELOPE_START + "<s:Fault><faultcode>" + code + "</faultcode><faultstring>"
                + text.replace("&", "&amp;").replace("<", "&lt;") + "</faultstring></s:Fault>" + ENVELOPE_END);
    }

    /** Parses with DTDs refused, as the real service's WCF stack does. */
    private static Document parse(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(Document doc, String localName) {
        NodeList nodes = doc.getElementsByTagNameNS("*", localName);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }
}
