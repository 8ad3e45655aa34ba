package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camrelay.streams.*;
import io.camrelay.vms.RtmpStreamerItem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole route set in a Camel Main: file and XProtect definitions become running routes shown by the API. */
class WiringTest {

    @TempDir
    Path dir;

    @Test
    void runsTheStreamsOfTheFileAndOfXProtectAndShowsThem() throws Exception {
        Path file = dir.resolve("streams.yaml");
        Files.writeString(file, "streams:\n  - name: Lobby\n    camera: cam-1\n    url: " + dir.resolve("l.flv") + "\n"
                + "  - name: Broken\n    camera: cam-1\n    url: rtmpx://h/app/topsecret\n");
        Supplier<DefinitionSet> items = () -> PluginStreamItems.toDefinitions(List.of(new RtmpStreamerItem("77", "Yard",
                "cam-2", "Yard", "rtmps://a.rtmps.youtube.com/live2/yt-key-123", true, false)));
        int port = AvailablePortFinder.getNextAvailable();

        Main main = new Main();
        main.setPropertyPlaceholderLocations("classpath:camrelay-defaults.properties");
        main.addOverrideProperty("camrelay.status.port", Integer.toString(port));
        main.addOverrideProperty("camrelay.streams.file", file.toString());
        main.addOverrideProperty("camrelay.streams.poll-interval", "1s");
        main.addOverrideProperty("camel.server.enabled", "true");
        // a lambda, not a RouteBuilder class: Camel Main scans io.camrelay.app (test classes too) for route builders
        main.configure().addLambdaRouteBuilder(rb -> rb.routeTemplate(StreamReconciler.TEMPLATE_ID)
                        .templateParameter(StreamReconciler.PARAM_STREAM_ID)
                        .templateParameter(StreamReconciler.PARAM_CAMERA_ID)
                        .templateParameter(StreamReconciler.PARAM_CAMERA_STREAM, "")
                        .templateBean("frameStatus", FrameStatusRecorder.class,
                                rtc -> new FrameStatusRecorder(rtc.getProperty("streamId", String.class)))
                        .from("timer:{{streamId}}?period=100")
                        .setHeader("CamRelayKeyFrame", rb.constant(true))
                        .setBody(rb.constant(new byte[100]))
                        .process("{{frameStatus}}"));
        ApplicationWiring wiring = new ApplicationWiring().withPluginItems(items)
                .withCameras(CameraResolver.AS_WRITTEN);
        main.addMainListener(wiring);
        main.start();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    main.getCamelContext().getRouteController().getRouteStatus("stream-lobby") == ServiceStatus.Started
                    && main.getCamelContext().getRouteController().getRouteStatus("stream-yard")
                    == ServiceStatus.Started);
            await().atMost(Duration.ofSeconds(5)).until(() -> wiring.registry().stream("lobby").framesIn() > 0);

            HttpClient http = io.camrelay.testing.TestHttp.client();
            String api = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/streams"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(api).contains("\"id\":\"lobby\"").contains("\"id\":\"yard\"").contains("\"source\":\"xprotect\"")
                    .contains("\"id\":\"broken\"").contains("\"state\":\"ERROR\"")
                    .doesNotContain("yt-key-123").doesNotContain("topsecret");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/observe/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("stream:broken").contains("stream:lobby");
        } finally {
            main.stop();
        }
    }
}
