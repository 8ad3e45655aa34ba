package io.camrelay.web;

import io.camrelay.streams.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Renders the dashboard in headless Chromium against a live status server and reads the rows it drew. */
class DashboardIT {

    private static final String YT_KEY = "yt-abcd-efgh-ijkl";
    private static final String TWITCH_KEY = "live_123456_twitchsecret";
    private static final StreamStatusRegistry REGISTRY = new StreamStatusRegistry();
    private static Main main;
    private static int port;

    @BeforeAll
    static void startServerWithStreamsInEveryKindOfState() throws Exception {
        StreamTracker lobby = REGISTRY.define(new StreamDefinition("lobby", "Lobby to YouTube", "Lobby", null, true,
                List.of(new Destination("rtmps://a.rtmps.youtube.com/live2/" + YT_KEY, false),
                        new Destination("output/lobby.flv", false)), StreamSource.FILE));
        lobby.camera("638bc8f1-cf28-4329-b8e6-5bba37bdb48f", "Lobby");
        lobby.videoFormat("H264", 1920, 1080);
        lobby.state(StreamState.STREAMING, null);
        lobby.destinations().forEach(d -> d.state(StreamState.STREAMING, null));

        StreamTracker parking = REGISTRY.define(new StreamDefinition("parking", "Parking to Twitch", "Parking", null,
                true, List.of(new Destination("rtmp://live.twitch.tv/app/" + TWITCH_KEY, false)),
                StreamSource.XPROTECT));
        parking.state(StreamState.STREAMING, null);
        parking.destinations().get(0).onReconnecting("connection reset by rtmp://live.twitch.tv/app/" + TWITCH_KEY);

        REGISTRY.problem(new StreamProblem("yard", "Yard", "Yard", StreamSource.FILE,
                "config/streams.yaml line 9, field 'url': 'rtmpx://a.rtmps.youtube.com/live2/" + YT_KEY
                        + "' is not an rtmp://, rtmps:// URL or a .flv file path"));
        REGISTRY.define(new StreamDefinition("entrance", "Entrance", "Entrance", null, false,
                List.of(new Destination("output/entrance.flv", false)), StreamSource.FILE));

        port = AvailablePortFinder.getNextAvailable();
        main = new Main();
        main.bind(StreamStatusRegistry.BEAN_NAME, REGISTRY);
        main.configure().addRoutesBuilder(new StatusRoutes());
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", Integer.toString(port));
        main.start();
    }

    @AfterAll
    static void stopServer() {
        main.stop();
    }

    private static String renderedDom() throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        Tools.Result r = Tools.run(60, "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom",
                "http://127.0.0.1:" + port + "/");
        r.requireSuccess("chromium --dump-dom");
        return r.stdout();
    }

    private static String row(String dom, String id) {
        Matcher m = Pattern.compile("<tr data-stream-id=\"" + id + "\".*?</tr>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("a row for stream " + id).isTrue();
        return m.group();
    }

    @Test
    void showsOneRowPerStreamWithItsStateNameCameraAndMaskedDestinations() throws Exception {
        String dom = renderedDom();

        assertThat(row(dom, "entrance")).contains("data-state=\"DISABLED\"").contains("Entrance");
        String lobby = row(dom, "lobby");
        assertThat(lobby).contains("data-state=\"STREAMING\"").contains("Lobby to YouTube")
                .contains("H264 1920×1080").contains("rtmps://a.rtmps.youtube.com/live2/****")
                .contains("output/lobby.flv");
        assertThat(row(dom, "parking")).contains("data-state=\"RECONNECTING\"")
                .contains("rtmp://live.twitch.tv/app/****");
        assertThat(row(dom, "yard")).contains("data-state=\"ERROR\"").contains("class=\"error\"")
                .contains("config/streams.yaml line 9");
        assertThat(dom).contains("4 streams");
    }

    @Test
    void rendersAScreenshotForReview() throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path png = Path.of("target", "dashboard.png").toAbsolutePath();
        Files.deleteIfExists(png);
        Tools.run(60, "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
                "--hide-scrollbars", "--window-size=1400,420", "--virtual-time-budget=5000",
                "--screenshot=" + png, "http://127.0.0.1:" + port + "/").requireSuccess("chromium --screenshot");
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    @Test
    void neverShowsAStreamKey() throws Exception {
        String dom = renderedDom();
        assertThat(dom).contains("data-stream-id").doesNotContain(YT_KEY).doesNotContain(TWITCH_KEY);
    }
}
