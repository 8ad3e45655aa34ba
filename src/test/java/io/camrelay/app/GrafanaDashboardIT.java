package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard in {@code grafana/camrelay-dashboard.json} queries only what CamRelay serves: every metric
 * name in its panel queries and its variable query is a series (or histogram bucket) in the {@code /observe/metrics}
 * scrape of a CamRelay streaming to nginx-rtmp, with the labels its legends and groupings use.
 */
class GrafanaDashboardIT {

    static final Path DASHBOARD = Path.of("grafana/camrelay-dashboard.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern METRIC = Pattern.compile("\\bcamrelay_[a-z0-9_]+");
    private static final Pattern LABEL = Pattern.compile("\\{\\{(\\w+)}}|by \\(([\\w, ]+)\\)|(\\w+)=~?\"");

    @TempDir
    Path dir;

    @Test
    void everyMetricTheDashboardQueriesIsInTheScrapeOfAStreamingCamRelay() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
        List<String> queries = new ArrayList<>();
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> queries.add(t.get("expr").asText())));
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> queries.add(t.get("legendFormat")
                .asText())));
        dashboard.get("templating").get("list").forEach(v -> queries.add(v.get("query").get("query").asText()));
        Set<String> queried = new TreeSet<>();
        Set<String> labels = new TreeSet<>();
        for (String q : queries) {
            Matcher m = METRIC.matcher(q);
            while (m.find()) {
                queried.add(m.group());
            }
            Matcher l = LABEL.matcher(q);
            while (l.find()) {
                for (int g = 1; g <= 3; g++) {
                    if (l.group(g) != null) {
                        for (String name : l.group(g).split(",\\s*")) {
                            labels.add(name.strip());
                        }
                    }
                }
            }
        }
        labels.remove("__rate_interval");
        assertThat(queried).as("metrics the dashboard queries").hasSizeGreaterThanOrEqualTo(10);

        String scrape = scrapeOfAStreamingCamRelay();
        Set<String> served = new TreeSet<>();
        Set<String> servedLabels = new TreeSet<>();
        Matcher label = Pattern.compile("[{,](\\w+)=\"").matcher("");
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            served.add(line.split("[{ ]", 2)[0]);
            label.reset(line);
            while (label.find()) {
                servedLabels.add(label.group(1));
            }
        }
        assertThat(served).as("series in /observe/metrics").containsAll(queried);
        assertThat(servedLabels).as("labels in /observe/metrics").containsAll(labels);
        System.out.printf("grafana: %d metrics and labels %s, all served%n", queried.size(), labels);
    }

    private String scrapeOfAStreamingCamRelay() throws Exception {
        try (NginxRtmp nginx = NginxRtmp.start(); XProtectSimulator simulator = XProtectSimulator.builder().build()
                .start()) {
            Path streams = dir.resolve("streams.yaml");
            Files.writeString(streams, """
                    streams:
                      - id: lobby
                        camera: %s
                        url: %s
                    """.formatted(XProtectSimulator.DEMO_CAMERA_ID, nginx.url("grafana-key")));
            int port = Ports.free();
            Main main = CamRelayOnSimulator.start(simulator, streams, port);
            try {
                HttpClient http = io.camrelay.testing.TestHttp.client();
                URI metrics = URI.create("http://127.0.0.1:" + port + "/observe/metrics");
                await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> http.send(HttpRequest
                        .newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body()
                        .contains("camrelay_stream_state{state=\"STREAMING\",streamId=\"lobby\"} 1.0"));
                return http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                        .body();
            } finally {
                main.stop();
            }
        }
    }
}
