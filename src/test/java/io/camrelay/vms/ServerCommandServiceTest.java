package io.camrelay.vms;

import io.camrelay.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.camrelay.testing.LogCapture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.SAXException;

/** SOAP Login replies that are hostile or malformed, served by a stand-in VMS on loopback. */
class ServerCommandServiceTest {

    private static final String OK_LOGIN = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            + "<s:Body><LoginResponse xmlns=\"http://videoos.net/2/XProtectCSServerCommand\"><LoginResult>"
            + "<RegistrationTime>2026-11-21T10:00:00Z</RegistrationTime><TimeToLive><MicroSeconds>14400000000"
            + "</MicroSeconds></TimeToLive><TimeToLiveLimited>false</TimeToLiveLimited><Token>%s</Token>"
            + "</LoginResult></LoginResponse></s:Body></s:Envelope>";

    @TempDir
    Path dir;
    private HttpServer server;
    private volatile byte[] soapReply;
    /** The IDP's {@code expires_in}, seconds. */
    private volatile String accessExpiresIn = "3600";
    private final java.util.concurrent.atomic.AtomicInteger soapCalls = new java.util.concurrent.atomic.AtomicInteger();
    private final TestClock clock = TestClock.at("2026-11-21T10:00:00Z");
    private VmsSession session;

    @AfterEach
    void stop() {
        if (session != null) {
            session.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private VmsSession sessionAgainstStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/IDP/connect/token", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] b = ("{\"access_token\":\"at-1\",\"expires_in\":" + accessExpiresIn + ",\"token_type\":\"Bearer\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/ManagementServer/ServerCommandServiceOAuth.svc", ex -> {
            ex.getRequestBody().readAllBytes();
            soapCalls.incrementAndGet();
            ex.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
            ex.sendResponseHeaders(200, soapReply.length);
            ex.getResponseBody().write(soapReply);
            ex.close();
        });
        server.start();
        session = new VmsSession(VmsConfiguration.of("http://127.0.0.1:" + server.getAddress().getPort(),
                "u", "p"), clock);
        return session;
    }

    @Test
    void loginReplyIsParsedByLocalName() throws IOException {
        soapReply = String.format(OK_LOGIN, "TOKEN#abc#vms//ServerConnector#").getBytes(StandardCharsets.UTF_8);

        assertThat(sessionAgainstStandIn().vmsToken()).isEqualTo("TOKEN#abc#vms//ServerConnector#");
    }

    @Test
    void replyWithAnExternalEntityIsRefusedWithoutReadingTheFile() throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "LEAKED-FILE-CONTENT");
        soapReply = ("<?xml version=\"1.0\"?><!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + String.format(OK_LOGIN, "&x;")).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(sessionAgainstStandIn()::vmsToken)
                .isInstanceOf(VmsUnavailableException.class)
                .hasMessageContaining("XProtect SOAP Login at http://127.0.0.1:")
                .hasMessageContaining("not well-formed or unsafe XML")
                .hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining("LEAKED-FILE-CONTENT");
    }

    @Test
    void malformedXmlIsRefusedWithoutWritingToStandardError() throws Exception {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> SoapXml.parse("not xml at all".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(SAXException.class).hasMessageContaining("Content is not allowed in prolog");
            assertThatThrownBy(() -> SoapXml.parse("<a><b></a>".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(SAXException.class);
        } finally {
            System.setErr(original);
        }

        assertThat(err.toString(StandardCharsets.UTF_8)).as("written to stderr").isEmpty();
    }

    @Test
    void entityExpansionBombIsRefused() {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><Token>&lol2;</Token>";

        assertThatThrownBy(() -> SoapXml.parse(bomb.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SAXException.class).hasMessageContaining("DOCTYPE");
    }

    @Test
    void oversizedReplyIsRefusedWithItsLimit() throws IOException {
        soapReply = new byte[ServerCommandService.MAX_RESPONSE_BYTES + 1024];
        java.util.Arrays.fill(soapReply, (byte) ' ');

        assertThatThrownBy(sessionAgainstStandIn()::vmsToken)
                .isInstanceOf(VmsUnavailableException.class)
                .hasMessageContaining("answered with more than " + ServerCommandService.MAX_RESPONSE_BYTES + " bytes");
    }

    @Test
    void soapFaultIsReportedWithItsText() throws IOException {
        soapReply = ("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
                + "<faultcode>s:Client</faultcode><faultstring>User is not allowed to log in</faultstring>"
                + "</s:Fault></s:Body></s:Envelope>").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(sessionAgainstStandIn()::vmsToken)
                .isInstanceOf(VmsUnavailableException.class)
                .hasMessageContaining("failed: User is not allowed to log in (HTTP 200)");
    }

    @Test
    void loginReplyWithoutTimeToLiveIsRefused() throws IOException {
        soapReply = String.format(OK_LOGIN, "T").replace("14400000000", "soon").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(sessionAgainstStandIn()::vmsToken)
                .isInstanceOf(VmsUnavailableException.class)
                .hasMessageContaining("TimeToLive/MicroSeconds 'soon' is not a number");
    }

    @Test
    void tokenIsUsedNoLongerThanTheTimeToLiveOfTheReply() throws IOException {
        soapReply = String.format(OK_LOGIN, "T").replace("14400000000", "20000000")
                .getBytes(StandardCharsets.UTF_8);
        VmsSession s = sessionAgainstStandIn();
        s.vmsToken();
        clock.advance(Duration.ofSeconds(19));
        s.vmsToken();
        assertThat(soapCalls).hasValue(1);

        clock.advance(Duration.ofSeconds(2));
        s.vmsToken();

        assertThat(soapCalls).as("expired after 20 s: logged in again").hasValue(2);
    }

    /** A Login reply whose token lives {@code micros} µs. */
    private static byte[] loginWithTimeToLive(String micros) {
        return String.format(OK_LOGIN, "T").replace("14400000000", micros).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aOneMicrosecondTimeToLiveRenewsNoMoreOftenThanEveryTenSeconds() throws Exception {
        // Given a VMS that says its tokens live 1 µs
        soapReply = loginWithTimeToLive("1");
        try (LogCapture logs = LogCapture.capture()) {
            VmsSession s = sessionAgainstStandIn();

            // When the session logs in and a second passes
            s.vmsToken();
            Thread.sleep(1000);

            // Then it has not renewed (or logged in) again, and says when it will: in 10 s
            assertThat(soapCalls).as("SOAP Logins in the second after a 1 µs token").hasValue(1);
            assertThat(logs.lines()).anyMatch(l -> l.contains("logged in to XProtect") && l.endsWith("renewal in 10 s"));
            clock.advance(Duration.ofSeconds(9));
            s.vmsToken();
            assertThat(soapCalls).as("the token is used until its renewal").hasValue(1);
        }
    }

    @Test
    void aHugeTimeToLiveIsAcceptedAndRenewedWithinADay() throws IOException {
        // Given a VMS that says its tokens live 2^63-1 µs (292,000 years), and access tokens 2^63-1 s
        soapReply = loginWithTimeToLive(Long.toString(Long.MAX_VALUE));
        accessExpiresIn = Long.toString(Long.MAX_VALUE);
        try (LogCapture logs = LogCapture.capture()) {
            VmsSession s = sessionAgainstStandIn();

            // When the session logs in, and more cameras ask for the token
            String token = s.vmsToken();
            s.vmsToken();
            s.vmsToken();

            // Then the login succeeded once (no failure skipping the back-off) and renews after 24 h at the latest
            assertThat(token).isEqualTo("T");
            assertThat(soapCalls).as("SOAP Logins").hasValue(1);
            assertThat(logs.lines()).anyMatch(l -> l.contains("logged in to XProtect") && l.endsWith("renewal in 24 h"));
        }
    }

    @Test
    void renewalDelaysStayBetweenTenSecondsAndADay() {
        assertThat(VmsSession.renewDelay(Duration.ofNanos(1000))).isEqualTo(Duration.ofSeconds(10));
        assertThat(VmsSession.renewDelay(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Duration.ofHours(24));
        assertThat(VmsSession.renewDelay(Duration.ofHours(4))).isEqualTo(Duration.ofHours(4).minusSeconds(30));
    }
}
