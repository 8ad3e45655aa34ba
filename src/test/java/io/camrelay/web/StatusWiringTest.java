package io.camrelay.web;

import io.camrelay.streams.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

/** The shipped defaults wire camrelay.status.host/port into the status server and turn metrics on. */
class StatusWiringTest {

    @Test
    void theStatusServerDefaultsToLoopbackPort8080() throws Exception {
        try (org.apache.camel.impl.DefaultCamelContext ctx = new org.apache.camel.impl.DefaultCamelContext()) {
            ctx.getPropertiesComponent().setLocation("classpath:camrelay-defaults.properties");
            assertThat(ctx.resolvePropertyPlaceholders("{{camel.server.host}}:{{camel.server.port}}"))
                    .isEqualTo("127.0.0.1:8080");
            assertThat(ctx.resolvePropertyPlaceholders("{{camrelay.streams.file}} {{camrelay.streams.poll-interval}}"
                    + " {{camrelay.streams.from-xprotect}}")).isEqualTo("config/streams.yaml 30s true");
        }
    }

    @Test
    void theStatusServerListensOnCamrelayStatusPortWithTheShippedDefaults() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        StreamStatusRegistry registry = new StreamStatusRegistry();
        Main main = new Main();
        main.setPropertyPlaceholderLocations("classpath:camrelay-defaults.properties");
        main.bind(StreamStatusRegistry.BEAN_NAME, registry);
        main.configure().addRoutesBuilder(new StatusRoutes());
        main.addMainListener(new GuardListener());
        main.addOverrideProperty("camrelay.status.port", Integer.toString(port));
        main.addInitialProperty("camel.server.enabled", "true");
        // only the status server is under test: the shipped definitions route gets a poller that does nothing
        main.bind(DefinitionsRoutes.POLLER_BEAN, (org.apache.camel.Processor) exchange -> { });
        main.addOverrideProperty(DefinitionsRoutes.POLL_INTERVAL_MS, "30000");
        main.start();
        try {
            StreamsObservability.install(main.getCamelContext(), registry);
            registry.define(new StreamDefinition("lobby", "Lobby", "cam-1", null, true,
                    java.util.List.of(new Destination("output/lobby.flv", false)), StreamSource.FILE));
            HttpClient http = io.camrelay.testing.TestHttp.client();
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("camrelay_stream_state{state=\"STOPPED\",streamId=\"lobby\"} 1.0");
            // Camel's per-exchange meters (one exchange per picture in a stream route) stay off: after the exchanges
            // of the scrapes above, none of them exists
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(again.body()).contains("camrelay_stream_state").doesNotContain("camel_exchanges");
            // the JVM's and the process's health, for a relay that runs for months
            assertThat(again.body()).contains("jvm_gc_live_data_size_bytes", "jvm_memory_used_bytes{area=\"heap\"",
                    "jvm_threads_live_threads", "process_cpu_usage", "process_files_open_files",
                    "process_uptime_seconds");
        } finally {
            main.stop();
        }
    }
}
