package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.Chromium;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console (architecture §12) in Debian's headless Chromium, driven over the DevTools protocol, against CamRelay
 * in this JVM relaying the simulator's cameras: the live preview plays through Media Source Extensions, an export
 * started from the page finishes and its download decodes, a refused request shows the server's message, a phone's
 * width fits, no key shows, and the page logs no error. Screenshots go to target/console-*.png.
 */
class ConsoleIT {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = io.camrelay.testing.TestHttp.client();
    private static final String KEY = "yard-secret-key-123";
    private static final Path SHOTS = Path.of("target");

    @TempDir
    static Path dir;
    private static XProtectSimulator simulator;
    private static Main main;
    private static Chromium chromium;
    private static String base;
    /** Page errors that the test caused on purpose (a refused request), left out of the no-errors check. */
    private static final List<String> expectedErrors = new ArrayList<>();

    @BeforeAll
    static void startCamRelayAndChromium() throws Exception {
        simulator = XProtectSimulator.builder().build().start();
        Path streams = dir.resolve("streams.yaml");
        Files.writeString(streams, """
                streams:
                  - id: lobby
                    name: Lobby
                    camera: %s
                    url: %s
                  - id: yard
                    name: Yard to a server that is down
                    camera: %s
                    url: rtmp://127.0.0.1:%d/live/%s
                """.formatted(XProtectSimulator.DEMO_CAMERA_ID, dir.resolve("lobby.flv"),
                XProtectSimulator.BFRAMES_CAMERA_ID, Ports.free(), KEY));
        int port = Ports.free();
        main = CamRelayOnSimulator.start(simulator, streams, port,
                Map.of("camrelay.exports.dir", dir.resolve("exports").toString()));
        base = "http://127.0.0.1:" + port;
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> JSON.readTree(HTTP.send(HttpRequest
                .newBuilder(URI.create(base + "/api/streams/lobby")).build(), HttpResponse.BodyHandlers.ofString())
                .body()).get("state").asText().equals("STREAMING"));
        chromium = Chromium.start();
        chromium.viewport(1280, 900);
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (main != null) {
            main.stop();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @AfterEach
    void thePageLoggedNoError() {
        List<String> errors = new ArrayList<>(chromium.errors());
        errors.removeIf(e -> expectedErrors.stream().anyMatch(e::contains));
        assertThat(errors).as("console errors, uncaught exceptions and log errors in Chromium").isEmpty();
    }

    @Test
    void thePreviewPlaysLiveAtTheCamerasSizeWithTheDelayFromReceiveMeasured() throws Exception {
        chromium.open(base + "/");
        chromium.awaitTrue("document.querySelector('[data-stream-id=lobby] .preview-button')", Duration.ofSeconds(10));
        chromium.evaluate("document.querySelector('[data-stream-id=lobby] .preview-button').click()");
        String video = "document.querySelector('video[data-preview=lobby]')";
        chromium.awaitTrue(video + " && " + video + ".currentTime > 0.3", Duration.ofSeconds(10));
        long t0 = System.nanoTime();
        double c0 = chromium.evaluate(video + ".currentTime").asDouble();
        Thread.sleep(4000);
        double advanced = chromium.evaluate(video + ".currentTime").asDouble() - c0;
        double wall = (System.nanoTime() - t0) / 1e9;
        JsonNode size = chromium.evaluate("[" + video + ".videoWidth, " + video + ".videoHeight]");
        JsonNode error = chromium.evaluate(video + ".error && " + video + ".error.message");
        // the picture is not blank: the spread of its pixels' brightness, drawn from the video element
        double spread = chromium.evaluate("(() => { const v = " + video + "; const c = document.createElement('canvas');"
                + " c.width = 160; c.height = 90; const g = c.getContext('2d'); g.drawImage(v, 0, 0, 160, 90);"
                + " const d = g.getImageData(0, 0, 160, 90).data; let s = 0, s2 = 0, n = d.length / 4;"
                + " for (let i = 0; i < d.length; i += 4) { const y = (d[i] + d[i + 1] + d[i + 2]) / 3; s += y;"
                + " s2 += y * y; } return Math.sqrt(s2 / n - (s / n) * (s / n)); })()").asDouble();
        int delay = chromium.evaluate(video + ".getAttribute('data-delay-ms')").asInt(-1);
        int lag = chromium.evaluate(video + ".getAttribute('data-lag-ms')").asInt(-1);
        long shot = chromium.screenshot(SHOTS.resolve("console-streams.png"), false);
        JsonNode lobby = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/streams/lobby"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        String text = chromium.evaluate("document.body.innerText").asText();
        LOG.info("preview: currentTime advanced {} s in {} s; receive → browser {} ms (median of the last 50 "
                + "pictures), {} ms behind the live edge; picture spread {}", advanced, wall, delay, lag, spread);

        assertThat(size.get(0).asInt()).as("videoWidth").isEqualTo(lobby.get("width").asInt()).isEqualTo(640);
        assertThat(size.get(1).asInt()).as("videoHeight").isEqualTo(lobby.get("height").asInt()).isEqualTo(360);
        assertThat(advanced).as("currentTime advance in 4 s").isGreaterThanOrEqualTo(3.0);
        assertThat(error.isNull() || error.asText().equals("false")).as("video.error is null: " + error).isTrue();
        assertThat(spread).as("brightness spread of the shown picture (0 = blank)").isGreaterThan(5.0);
        assertThat(delay).as("ms from ImageServer receive to the browser").isBetween(0, 500);
        assertThat(shot).as("screenshot bytes").isGreaterThan(20_000);
        assertThat(text).contains("Yard to a server that is down", "rtmp://127.0.0.1:", "/live/****", "kbit/s")
                .doesNotContain(KEY);
    }

    @Test
    void anExportStartedFromTheConsoleFinishesWithAMovingProgressBarAndItsDownloadDecodes() throws Exception {
        ZoneId zone = ZoneId.of(chromium.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone").asText());
        LocalDateTime to = LocalDateTime.ofInstant(Instant.now().minus(15, ChronoUnit.MINUTES), zone)
                .truncatedTo(ChronoUnit.SECONDS);
        int minutes = 5; // the progress bar moves through ~2 s of export
        LocalDateTime from = to.minusMinutes(minutes);
        if (!from.toLocalDate().equals(to.toLocalDate())) {
            to = to.minusMinutes(30);
            from = from.minusMinutes(30);
        }
        chromium.open(base + "/#exports");
        chromium.awaitTrue("document.querySelectorAll('#timeline .span').length > 0", Duration.ofSeconds(10));
        chromium.evaluate("(() => { const set = (id, v) => { const e = document.getElementById(id); e.value = v;"
                + " e.dispatchEvent(new Event('change')); };"
                + " set('export-camera', '" + XProtectSimulator.DEMO_CAMERA_ID + "');"
                + " set('export-day', '" + from.toLocalDate() + "');"
                + " set('export-from', '" + from.toLocalTime() + "'); set('export-to', '" + to.toLocalTime() + "');"
                + " return true; })()");
        chromium.awaitTrue("document.querySelectorAll('#timeline .span').length > 0 && "
                + "document.querySelector('#timeline .pick')", Duration.ofSeconds(10));
        chromium.evaluate("document.getElementById('export-start').click()");
        List<Integer> progress = new ArrayList<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        String state = "";
        while (!state.equals("DONE") && System.nanoTime() < deadline) {
            JsonNode job = chromium.evaluate("(() => { const j = document.querySelector('.job'); return j ? "
                    + "[j.getAttribute('data-state'), Number(j.querySelector('[role=progressbar]')"
                    + ".getAttribute('aria-valuenow'))] : null; })()");
            if (!job.isNull()) {
                state = job.get(0).asText();
                if (progress.isEmpty() || progress.get(progress.size() - 1) != job.get(1).asInt()) {
                    progress.add(job.get(1).asInt());
                }
                assertThat(state).isIn("QUEUED", "RUNNING", "DONE");
            }
            Thread.sleep(40);
        }
        chromium.awaitTrue("document.querySelector('.job a.download')", Duration.ofSeconds(5));
        String href = chromium.evaluate("document.querySelector('.job a.download').href").asText();
        long shot = chromium.screenshot(SHOTS.resolve("console-exports.png"), false);
        Path clip = dir.resolve("from-console.mp4");
        HttpResponse<Path> download = HTTP.send(HttpRequest.newBuilder(URI.create(href)).build(),
                HttpResponse.BodyHandlers.ofFile(clip));
        List<FfProbe.Stream> streams = FfProbe.streamsByPackets(clip);
        LOG.info("the console's progress bar showed {}", progress);

        assertThat(state).isEqualTo("DONE");
        assertThat(progress).as("progress values the bar showed").contains(100)
                .anyMatch(p -> p > 0 && p < 100);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(streams).extracting(FfProbe.Stream::codecName).containsExactly("h264", "aac");
        assertThat(streams.get(0).duration()).as("seconds exported").isBetween(minutes * 60 - 3.0, minutes * 60 + 3.0);
        assertThat(FfProbe.decodeErrors(clip)).as("ffmpeg -v error").isEmpty();
        assertThat(shot).isGreaterThan(20_000);
    }

    @Test
    void aRefusedExportShowsTheServersMessage() throws Exception {
        chromium.open(base + "/#exports");
        chromium.awaitTrue("document.getElementById('export-camera').options.length > 0", Duration.ofSeconds(10));
        expectedErrors.add(base + "/api/exports");
        chromium.evaluate("(() => { document.getElementById('export-from').value = '10:00:00';"
                + " document.getElementById('export-to').value = '09:00:00';"
                + " document.getElementById('export-start').click(); return true; })()");
        chromium.awaitTrue("document.getElementById('export-error').textContent.length > 0", Duration.ofSeconds(5));
        String shown = chromium.evaluate("document.getElementById('export-error').textContent").asText();

        assertThat(shown).startsWith("The export was not started: ").contains("is not after from")
                .contains("(field to)");
    }

    @Test
    void camerasShowTheirSnapshotAndStreamsAndThePageFitsAPhone() throws Exception {
        chromium.viewport(390, 844);
        try {
            chromium.open(base + "/#cameras");
            String demo = "document.querySelector('[data-camera-id=\"" + XProtectSimulator.DEMO_CAMERA_ID + "\"]')";
            chromium.awaitTrue(demo + " && " + demo + ".querySelector('img') && " + demo
                    + ".querySelector('img').naturalWidth > 0", Duration.ofSeconds(10));
            JsonNode snapshot = chromium.evaluate("[" + demo + ".querySelector('img').naturalWidth, " + demo
                    + ".querySelector('img').naturalHeight]");
            String card = chromium.evaluate(demo + ".innerText").asText();
            long overflow = chromium.evaluate("document.documentElement.scrollWidth - window.innerWidth").asLong();
            chromium.screenshot(SHOTS.resolve("console-cameras-phone.png"), false);
            chromium.open(base + "/");
            chromium.awaitTrue("document.querySelector('[data-stream-id=lobby]')", Duration.ofSeconds(10));
            long streamsOverflow = chromium.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    .asLong();
            chromium.screenshot(SHOTS.resolve("console-streams-phone.png"), false);

            assertThat(snapshot.get(0).asInt()).as("snapshot width").isEqualTo(640);
            assertThat(snapshot.get(1).asInt()).isEqualTo(360);
            assertThat(card).contains("Demo Camera", "used by Lobby (STREAMING)");
            assertThat(overflow).as("horizontal overflow of the cameras at 390 px").isLessThanOrEqualTo(0);
            assertThat(streamsOverflow).as("horizontal overflow of the streams at 390 px").isLessThanOrEqualTo(0);
        } finally {
            chromium.viewport(1280, 900);
        }
    }
}
