package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camrelay.simulator.SimulatedPluginItem;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.LogCapture;
import io.camrelay.testing.Ports;
import io.camrelay.testing.Tools;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application's own settings, each through the real wiring (CamRelayMain as the launcher starts it) against the
 * simulator: what an operator sets in config/application.properties does what the README says.
 */
class AppSettingsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = io.camrelay.testing.TestHttp.client();

    @TempDir
    Path dir;

    private XProtectSimulator simulator;
    private Main main;
    private int port;

    @AfterEach
    void stopAll() {
        if (main != null) {
            main.stop();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    /** Starts CamRelay with {@code properties} written to its operator file, as an operator would. */
    private void start(Map<String, String> properties) throws Exception {
        port = Ports.free();
        StringBuilder file = new StringBuilder("camrelay.status.port = " + port + "\n"
                + "camrelay.streams.poll-interval = 1s\ncamrelay.streams.restart-initial-delay = 1s\n");
        properties.forEach((k, v) -> file.append(k).append(" = ").append(v).append('\n'));
        Path config = dir.resolve("application.properties");
        Files.writeString(config, file);
        main = CamRelayMain.create(config.toString());
        main.start();
    }

    private Path streams(String yaml) throws Exception {
        Path f = dir.resolve("streams.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private Map<String, String> vms(Path streams) {
        return Map.of("camrelay.xprotect.url", simulator.baseUrl(), "camrelay.xprotect.username",
                simulator.username(), "camrelay.xprotect.password", simulator.password(), "camrelay.streams.file",
                streams.toString());
    }

    private JsonNode stream(String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/streams/" + id)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    private String lobbyToFile() {
        return "streams:\n  - id: lobby\n    name: Lobby\n    camera: Demo Camera\n    url: " + dir.resolve("l.flv")
                + "\n";
    }

    @Test
    void trustAllCertificatesLetsCamRelayUseAVmsWithASelfSignedCertificateAndWarnsOnce() throws Exception {
        simulator = XProtectSimulator.builder().tls(selfSigned()).build().start();
        Map<String, String> props = new java.util.HashMap<>(vms(streams(lobbyToFile())));
        props.put("camrelay.xprotect.trust-all-certificates", "true");
        try (LogCapture logs = LogCapture.capture()) {
            start(props);
            await().ignoreExceptions().atMost(Duration.ofSeconds(30))
                    .until(() -> "STREAMING".equals(stream("lobby").get("state").asText()));
            assertThat(logs.count("WARN", "camrelay.xprotect.trust-all-certificates=true: the certificates of the"
                    + " XProtect servers are not verified")).isEqualTo(1);
        }
    }

    @Test
    void withoutTrustAllTheSelfSignedVmsIsRefusedNamingTheFix() throws Exception {
        simulator = XProtectSimulator.builder().tls(selfSigned()).build().start();
        start(vms(streams(lobbyToFile())));
        await().ignoreExceptions().atMost(Duration.ofSeconds(30))
                .until(() -> stream("lobby").get("lastError").asText().contains("trust-all-certificates"));
        assertThat(stream("lobby").get("state").asText()).isEqualTo("ERROR");
    }

    @Test
    void reportEventsFalsePostsNoEventWhenAStreamFails() throws Exception {
        simulator = XProtectSimulator.builder().build().start();
        Map<String, String> props = new java.util.HashMap<>(vms(streams("streams:\n  - id: hevc\n    name: HEVC\n"
                + "    camera: " + XProtectSimulator.HEVC_CAMERA_ID + "\n    url: " + dir.resolve("h.flv") + "\n")));
        props.put("camrelay.xprotect.report-events", "false");
        start(props);
        await().ignoreExceptions().atMost(Duration.ofSeconds(20))
                .until(() -> stream("hevc").get("restarts").asLong() >= 2);
        assertThat(stream("hevc").get("lastError").asText()).contains("H.265");
        assertThat(simulator.events()).isEmpty();
        assertThat(simulator.alarms()).isEmpty();
    }

    @Test
    void theFileWinsOverAPluginItemWithTheSameIdAndSaysSoOnce() throws Exception {
        simulator = XProtectSimulator.builder().pluginItem(SimulatedPluginItem.rtmpStreamer("Lobby",
                XProtectSimulator.BFRAMES_CAMERA_ID, "B-frame Camera", "rtmp://127.0.0.1:1/live/plugin-key")).build()
                .start();
        try (LogCapture logs = LogCapture.capture()) {
            start(vms(streams(lobbyToFile())));
            await().ignoreExceptions().atMost(Duration.ofSeconds(20))
                    .until(() -> "STREAMING".equals(stream("lobby").get("state").asText()));
            Thread.sleep(2500); // two more polls: still one warning
            JsonNode lobby = stream("lobby");
            assertThat(lobby.get("source").asText()).isEqualTo("file");
            assertThat(lobby.get("cameraId").asText()).isEqualTo(XProtectSimulator.DEMO_CAMERA_ID);
            assertThat(logs.count("WARN", "stream id 'lobby' is defined both in")).isEqualTo(1);
        }
    }

    @Test
    void fromXProtectFalseLeavesThePluginItemsAlone() throws Exception {
        simulator = XProtectSimulator.builder().pluginItem(SimulatedPluginItem.rtmpStreamer("Yard",
                XProtectSimulator.DEMO_CAMERA_ID, "Demo Camera", "rtmp://127.0.0.1:1/live/yard-key")).build().start();
        Map<String, String> props = new java.util.HashMap<>(vms(streams(lobbyToFile())));
        props.put("camrelay.streams.from-xprotect", "false");
        start(props);
        await().ignoreExceptions().atMost(Duration.ofSeconds(20))
                .until(() -> "STREAMING".equals(stream("lobby").get("state").asText()));
        Thread.sleep(1500); // a poll later
        assertThat(stream("yard")).as("the plugin item's stream").isNull();
    }

    @Test
    void aWrongValueInApplicationPropertiesStopsTheStartNamingTheKeyTheValueAndTheForm() {
        assertThatThrownBy(() -> start(Map.of("camrelay.streams.restart-initial-delay", "soon")))
                .hasStackTraceContaining("camrelay.streams.restart-initial-delay is 'soon': expected a duration");
        main = null;
        assertThatThrownBy(() -> start(Map.of("camrelay.status.host", "0.0.0.0")))
                .hasStackTraceContaining("credentials are set: set camrelay.status.username and");
        main = null;
    }

    @Test
    void onANetworkAddressWithCredentialsEveryPathOfTheStatusServerAsksForThemAndAnswersWithThem() throws Exception {
        simulator = XProtectSimulator.builder().build().start();
        Map<String, String> settings = new java.util.HashMap<>(vms(streams(lobbyToFile())));
        settings.putAll(Map.of("camrelay.status.host", "0.0.0.0", "camrelay.status.username", "operator",
                "camrelay.status.password", "pass word=1"));
        start(settings);
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/observe/health/ready", "operator:pass word=1")
                .statusCode() == 200);
        for (String path : List.of("/", "/api/streams", "/observe/metrics", "/observe/health/live",
                "/observe/health/ready")) {
            assertThat(get(path, null).statusCode()).as("%s without credentials", path).isEqualTo(401);
            assertThat(get(path, "operator:wrong").statusCode()).as("%s with a wrong password", path).isEqualTo(401);
            assertThat(get(path, "operator:pass word=1").statusCode()).as("%s with the credentials", path)
                    .isEqualTo(200);
        }
        assertThat(get("/api/streams", "operator:pass word=1").body()).contains("lobby");
    }

    @Test
    void aUserNameWithAColonStopsTheStartNamingTheFix() {
        assertThatThrownBy(() -> start(Map.of("camrelay.status.username", "ops:night",
                "camrelay.status.password", "secret")))
                .hasStackTraceContaining("contains ':', which basic authentication cannot carry in a user name: "
                        + "choose another user name");
        main = null;
    }

    private HttpResponse<String> get(String path, String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (credentials != null) {
            b.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(credentials.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A TLS context with a fresh self-signed certificate, as an XProtect installed without a CA has. */
    private SSLContext selfSigned() throws Exception {
        Path keystore = dir.resolve("vms.p12");
        char[] pass = "changeit".toCharArray();
        Tools.run(60, "keytool", "-genkeypair", "-alias", "vms", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-dname", "CN=127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").requireSuccess("keytool");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, pass);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
