package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamDefinitionTest {

    static StreamDefinition lobby(String url) {
        return new StreamDefinition("lobby", "Lobby", "cam-1", null, true, List.of(new Destination(url, false)),
                StreamSource.FILE);
    }

    @Test
    void derivesIdsFromNamesByLowerCasingAndCollapsingOtherCharacters() {
        assertThat(StreamDefinition.deriveId("Lobby to YouTube")).isEqualTo("lobby-to-youtube");
        assertThat(StreamDefinition.deriveId("  --Parking  Lot #2!! ")).isEqualTo("parking-lot-2");
        assertThat(StreamDefinition.deriveId("Café → Twitch")).isEqualTo("caf-twitch");
        assertThat(StreamDefinition.deriveId("***")).isEmpty();
        assertThat(StreamDefinition.deriveId("x".repeat(70) + " y")).hasSize(64);
    }

    @Test
    void rejectsAnIdWithCharactersOutsideTheRouteSafeSet() {
        assertThatThrownBy(() -> new StreamDefinition("Lobby_1", "Lobby", "cam", null, true,
                List.of(new Destination("out.flv", false)), StreamSource.FILE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Lobby_1'").hasMessageContaining("a-z, 0-9 and '-'");
    }

    @Test
    void rejectsAStreamWithoutDestinations() {
        assertThatThrownBy(() -> new StreamDefinition("a", "A", "cam", null, true, List.of(), StreamSource.FILE))
                .hasMessageContaining("no destination");
    }

    @Test
    void fingerprintIsStableForEqualDefinitions() {
        assertThat(lobby("rtmp://h/live/k").fingerprint()).isEqualTo(lobby("rtmp://h/live/k").fingerprint())
                .hasSize(64);
    }

    @Test
    void fingerprintIgnoresWhatTheStreamsOutputsTakeWithoutARouteRestart() {
        StreamDefinition base = lobby("rtmp://h/live/k");
        String fp = base.fingerprint();
        assertThat(lobby("rtmp://h/live/k2").fingerprint()).as("a destination").isEqualTo(fp);
        assertThat(new StreamDefinition("lobby", "Lobby", "cam-1", null, true, base.destinations(), StreamSource.FILE,
                new HoldSettings(HoldMode.OFF, null, java.time.Duration.ofMinutes(1)), java.time.Duration.ofHours(11))
                .fingerprint()).as("hold and rotate").isEqualTo(fp);
    }

    @Test
    void fingerprintChangesWithAnythingThatShapesTheRoute() {
        StreamDefinition base = lobby("rtmp://h/live/k");
        String fp = base.fingerprint();
        assertThat(base.withEnabled(false).fingerprint()).isNotEqualTo(fp);
        assertThat(new StreamDefinition("lobby", "Lobby", "cam-2", null, true, base.destinations(), StreamSource.FILE)
                .fingerprint()).isNotEqualTo(fp);
        assertThat(new StreamDefinition("lobby", "Lobby", "cam-1", "stream-2", true, base.destinations(),
                StreamSource.FILE).fingerprint()).isNotEqualTo(fp);
        assertThat(new StreamDefinition("lobby", "Lobby", "cam-1", null, true, base.destinations(),
                StreamSource.XPROTECT).fingerprint()).isNotEqualTo(fp);
    }

    @Test
    void fingerprintIgnoresTheDisplayNameSoARenameDoesNotRestartTheStream() {
        StreamDefinition renamed = new StreamDefinition("lobby", "Main lobby", "cam-1", null, true,
                List.of(new Destination("rtmp://h/live/k", false)), StreamSource.FILE);
        assertThat(renamed.fingerprint()).isEqualTo(lobby("rtmp://h/live/k").fingerprint());
    }

    @Test
    void fingerprintDoesNotConfuseFieldBoundaries() {
        StreamDefinition a = new StreamDefinition("a", "A", "cam;x", null, true,
                List.of(new Destination("o.flv", false)), StreamSource.FILE);
        StreamDefinition b = new StreamDefinition("a", "A", "cam", "x", true,
                List.of(new Destination("o.flv", false)), StreamSource.FILE);
        assertThat(a.fingerprint()).isNotEqualTo(b.fingerprint());
    }

    @Test
    void toStringMasksTheStreamKey() {
        assertThat(lobby("rtmps://a.rtmps.youtube.com/live2/sekrit-key").toString())
                .doesNotContain("sekrit-key").contains("live2/****");
    }

    @Test
    void classifiesDestinationsByScheme() {
        assertThat(new Destination("output/lobby.flv", false).isFile()).isTrue();
        assertThat(new Destination("RTMPS://h/app/k", false).scheme()).isEqualTo("rtmps");
        assertThat(new Destination("rtmp://h/app/k", false).isFile()).isFalse();
        assertThatThrownBy(() -> new Destination(" ", false)).hasMessageContaining("empty");
    }

    @Test
    void theDestinationTypesCheckEachDestinationNamingWhatTheyAccept() {
        DestinationTypes types = TestDestinationTypes.standard();
        assertThat(types.problemWith("rtmp://h/app/k")).isNull();
        assertThat(types.problemWith("output/lobby.flv")).isNull();
        assertThat(types.problemWith("rtmpx://h/app/k"))
                .isEqualTo("'rtmpx://h/app/****' is not an rtmp://, rtmps:// URL or a .flv file path");
        assertThat(types.problemWith("output/lobby.mp4"))
                .isEqualTo("'output/lobby.mp4' is not an rtmp://, rtmps:// URL or a .flv file path");
        assertThat(types.problemWith("rtmp:///live/s3cret")).contains("no server name").doesNotContain("s3cret");
        assertThat(types.problemWith("rtmp://h/app/my key")).contains("must not contain spaces");
        assertThat(types.typeOf("rtmps://h/a/k")).get().satisfies(t -> assertThat(t.usesTls("rtmps://h/a/k")).isTrue());
    }
}
