package io.camrelay.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator's HTTP side spoken to directly, as a VMS client would (docs/protocols.md §3–§5). */
class XProtectSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private XProtectSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> grant(String user, String password) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/IDP/connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=" + user + "&password="
                        + password + "&client_id=GrantValidatorClient")));
    }

    private String accessToken() throws Exception {
        return JSON.readTree(grant(sim.username(), sim.password()).body()).path("access_token").asText();
    }

    private HttpResponse<String> soap(String operation, String bearer, String currentToken) throws Exception {
        String body = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><" + operation
                + " xmlns=\"http://videoos.net/2/XProtectCSServerCommand\"><instanceId>"
                + "11111111-2222-3333-4444-555555555555</instanceId><currentToken>" + currentToken
                + "</currentToken></" + operation + "></s:Body></s:Envelope>";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl()
                        + "/ManagementServer/ServerCommandServiceOAuth.svc"))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "http://videoos.net/2/XProtectCSServerCommand/IServerCommandService/"
                        + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b);
    }

    private static String token(String soapReply) {
        Matcher m = Pattern.compile("<Token>([^<]+)</Token>").matcher(soapReply);
        assertThat(m.find()).as("Token in " + soapReply).isTrue();
        return m.group(1);
    }

    private JsonNode rest(String path, String bearer) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/rest/v1" + path))
                .header("Authorization", "Bearer " + bearer));
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void wrongPasswordGetsInvalidGrant() throws Exception {
        sim = XProtectSimulator.builder().build().start();

        HttpResponse<String> r = grant(sim.username(), "wrong");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(sim.refusedTokenRequests()).isEqualTo(1);
    }

    @Test
    void discoveryNamesTheTokenEndpoint() throws Exception {
        sim = XProtectSimulator.builder().build().start();

        HttpResponse<String> r = send(HttpRequest.newBuilder(
                URI.create(sim.baseUrl() + "/IDP/.well-known/openid-configuration")));

        assertThat(JSON.readTree(r.body()).path("token_endpoint").asText())
                .isEqualTo(sim.baseUrl() + "/IDP/connect/token");
    }

    @Test
    void soapLoginNeedsABearerToken() throws Exception {
        sim = XProtectSimulator.builder().build().start();

        assertThat(soap("Login", null, "").statusCode()).isEqualTo(401);
        assertThat(soap("Login", "made-up", "").statusCode()).isEqualTo(401);
        assertThat(sim.logins()).isZero();
    }

    @Test
    void loginIssuesAnXProtectShapedTokenWithItsTimeToLive() throws Exception {
        sim = XProtectSimulator.builder().vmsTokenTtl(Duration.ofSeconds(20)).build().start();

        HttpResponse<String> r = soap("Login", accessToken(), "");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(token(r.body())).matches("TOKEN#[0-9a-f-]{36}#sim//ServerConnector#");
        assertThat(r.body()).contains("<TimeToLive><MicroSeconds>20000000</MicroSeconds></TimeToLive>")
                .contains("<RegistrationTime>");
        assertThat(sim.tokenValid(token(r.body()))).isTrue();
    }

    @Test
    void renewalIssuesANewTokenAndCountsAsRenewal() throws Exception {
        sim = XProtectSimulator.builder().build().start();
        String access = accessToken();
        String first = token(soap("Login", access, "").body());

        String second = token(soap("Login", access, first).body());

        assertThat(second).isNotEqualTo(first);
        assertThat(sim.logins()).isEqualTo(1);
        assertThat(sim.renewals()).isEqualTo(1);
    }

    @Test
    void vmsTokenExpiresAfterItsTimeToLive() throws Exception {
        sim = XProtectSimulator.builder().vmsTokenTtl(Duration.ofMillis(500)).build().start();
        String token = token(soap("Login", accessToken(), "").body());
        assertThat(sim.tokenValid(token)).isTrue();

        await().atMost(Duration.ofSeconds(3)).until(() -> !sim.tokenValid(token));
    }

    @Test
    void logoutEndsTheToken() throws Exception {
        sim = XProtectSimulator.builder().build().start();
        String access = accessToken();
        String token = token(soap("Login", access, "").body());

        assertThat(soap("Logout", access, token).statusCode()).isEqualTo(200);

        assertThat(sim.tokenValid(token)).isFalse();
        assertThat(sim.logouts()).isEqualTo(1);
    }

    @Test
    void restNeedsAValidBearerToken() throws Exception {
        sim = XProtectSimulator.builder().build().start();

        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/rest/v1/cameras")));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(r.body()).path("error").path("httpCode").asInt()).isEqualTo(401);
    }

    @Test
    void restUsesTheArrayAndDataEnvelopesAndWalksToTheRecorder() throws Exception {
        sim = XProtectSimulator.builder().build().start();
        String access = accessToken();

        JsonNode cameras = rest("/cameras", access);
        JsonNode camera = rest("/cameras/" + XProtectSimulator.DEMO_CAMERA_ID, access).path("data");
        String hardwareId = camera.path("relations").path("parent").path("id").asText();
        JsonNode hardware = rest("/hardware/" + hardwareId, access).path("data");
        String recorderId = hardware.path("relations").path("parent").path("id").asText();
        JsonNode recorder = rest("/recordingServers/" + recorderId, access).path("data");

        assertThat(cameras.path("array")).hasSize(4);
        assertThat(camera.path("displayName").asText()).isEqualTo("Demo Camera");
        assertThat(camera.path("relations").path("parent").path("type").asText()).isEqualTo("hardware");
        assertThat(hardware.path("relations").path("parent").path("type").asText()).isEqualTo("recordingServers");
        assertThat(recorder.path("webServerUri").asText()).isEqualTo("http://127.0.0.1:" + sim.imageServerPort()
                + "/");
    }

    @Test
    void mipItemsAnswer404WhenConfiguredAbsent() throws Exception {
        sim = XProtectSimulator.builder().mipKindsAvailable(false).build().start();

        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(sim.baseUrl()
                        + "/api/rest/v1/mipKinds/ABA1B2C3-D4E5-6789-ABCD-EF0123456780/mipItems"))
                .header("Authorization", "Bearer " + accessToken()));

        assertThat(r.statusCode()).isEqualTo(404);
    }

    @Test
    void camerasMustHaveUniqueIdsAndNames() {
        SimulatedCamera a = XProtectSimulator.camera(XProtectSimulator.DEMO_CAMERA_ID, "A", SimulatorClip.JPEG);
        SimulatedCamera b = XProtectSimulator.camera(XProtectSimulator.HEVC_CAMERA_ID, "A", SimulatorClip.JPEG);

        assertThatThrownBy(() -> XProtectSimulator.builder().cameras(java.util.List.of(a, b)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unique ids and names");
    }

    @Test
    void toStringHidesThePassword() throws Exception {
        sim = XProtectSimulator.builder().credentials("u", "hidden-pw").build().start();

        assertThat(sim.toString()).contains("password=****").doesNotContain("hidden-pw");
    }
}
