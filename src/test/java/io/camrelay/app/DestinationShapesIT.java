package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camrelay.simulator.SimulatedPluginItem;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Ports;
import io.camrelay.testing.Stunnel;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The destination shapes of the README's platform recipes, each through the whole application to a real server:
 * Facebook's key with its own query, a nested application, an IPv6 host, and self-signed RTMPS allowed from the
 * streams file ({@code allowUntrustedCertificates}) and from a plugin item ({@code AllowUntrustedCerts}).
 */
class DestinationShapesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FACEBOOK_KEY = "FB-1234-0-AbCd";
    private static final String FACEBOOK_QUERY = "s_bl=1&s_sc=FB-1234&a=AbCd";

    @TempDir
    Path dir;

    @Test
    void everyPlatformShapeOfDestinationReachesItsServerAndDecodes() throws Exception {
        assertThat(NginxRtmp.IPV6).as("this machine has an IPv6 loopback (::1) for the IPv6 destination").isTrue();
        try (NginxRtmp nginx = NginxRtmp.start(); Stunnel tls = Stunnel.start(nginx.port());
                XProtectSimulator simulator = XProtectSimulator.builder().pluginItem(SimulatedPluginItem.rtmpStreamer(
                        "Plugin TLS", XProtectSimulator.DEMO_CAMERA_ID, "Demo Camera", "rtmps://127.0.0.1:"
                                + tls.port() + "/live/plugin-tls-key").with("AllowUntrustedCerts", "Yes"))
                        .build().start()) {
            int p = nginx.port();
            Path streams = dir.resolve("streams.yaml");
            Files.writeString(streams, """
                    streams:
                      - id: facebook
                        name: Facebook shape
                        camera: Demo Camera
                        url: rtmp://127.0.0.1:%d/%s/%s?%s
                      - id: nested
                        name: Nested app
                        camera: Demo Camera
                        url: rtmp://127.0.0.1:%d/%s/nested-key
                      - id: ipv6
                        name: IPv6 host
                        camera: Demo Camera
                        url: rtmp://[::1]:%d/live/v6-key
                      - id: file-tls
                        name: Self-signed RTMPS
                        camera: Demo Camera
                        destinations:
                          - url: rtmps://127.0.0.1:%d/live/file-tls-key
                            allowUntrustedCertificates: true
                    """.formatted(p, NginxRtmp.FACEBOOK_APP, FACEBOOK_KEY, FACEBOOK_QUERY, p, NginxRtmp.NESTED_APP, p,
                    tls.port()));
            int port = Ports.free();
            // the file's streams and the plugin item's (plugin-tls)
            Main main = CamRelayOnSimulator.start(CamRelayMain.create(dir.resolve("none.properties").toString()),
                    simulator, streams, port, Map.of("camrelay.streams.from-xprotect", "true"));
            List<String> ids = List.of("facebook", "nested", "ipv6", "file-tls", "plugin-tls");
            JsonNode all;
            try {
                await().ignoreExceptions().atMost(Duration.ofSeconds(40)).until(() -> {
                    JsonNode s = streams(port);
                    return s.size() == ids.size() && java.util.stream.StreamSupport.stream(s.spliterator(), false)
                            .allMatch(n -> n.get("state").asText().equals("STREAMING"));
                });
                Thread.sleep(3000);
                all = streams(port);
            } finally {
                main.stop();
            }

            assertThat(all.toString()).doesNotContain(FACEBOOK_KEY).doesNotContain("AbCd").doesNotContain("v6-key")
                    .doesNotContain("tls-key");
            // what nginx saw: each publish under its name, Facebook's query passed as the key's own
            String log = nginx.errorLog();
            assertThat(log).contains("publish: name='" + FACEBOOK_KEY + "' args='" + FACEBOOK_QUERY + "'");
            assertThat(log).contains("connect: app='" + NginxRtmp.NESTED_APP + "'");
            for (String key : List.of(FACEBOOK_KEY, "nested-key", "v6-key", "file-tls-key", "plugin-tls-key")) {
                assertThat(nginx.publishes(key)).as("publishes of " + key).isEqualTo(1);
                List<Path> recordings = nginx.recordingsOf(key);
                assertThat(recordings).as("recordings of " + key).hasSize(1);
                assertThat(FfProbe.decodeErrors(recordings.get(0))).as(key).isEmpty();
                assertThat(FfProbe.stream(recordings.get(0), "video").codecName()).isEqualTo("h264");
            }
        }
    }

    private static JsonNode streams(int port) throws Exception {
        return JSON.readTree(io.camrelay.testing.TestHttp.client().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port + "/api/streams")).build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}
