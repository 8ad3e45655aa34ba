package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionsMergerTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        Path f = dir.resolve("streams.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static PluginStreamItem item(String name, String url, boolean enabled) {
        return new PluginStreamItem("a1b2", name, "cam-guid", "Lobby", url, enabled, false);
    }

    private final StreamsFileLoader loader = new StreamsFileLoader(Map.<String, String>of()::get);

    @Test
    void theFileWinsWhenBothDefineTheSameId() throws Exception {
        DefinitionsMerger merger = new DefinitionsMerger(loader,
                file("streams:\n  - name: Lobby\n    camera: c\n    url: lobby.flv\n"));
        DesiredStreams d = merger.poll(() -> List.of(item("Lobby", "rtmp://h/live/k", true),
                item("Yard", "rtmp://h/live/y", true)));
        assertThat(d.streams()).extracting(StreamDefinition::id, StreamDefinition::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lobby", StreamSource.FILE),
                        org.assertj.core.groups.Tuple.tuple("yard", StreamSource.XPROTECT));
    }

    @Test
    void aBrokenFileKeepsTheLastGoodDefinitionsAndReportsWhy() throws Exception {
        Path f = file("streams:\n  - name: Lobby\n    camera: c\n    url: lobby.flv\n");
        DefinitionsMerger merger = new DefinitionsMerger(loader, f);
        merger.poll(null);
        Files.writeString(f, "streams:\n  - name: Lobby\n   camera: [\n");

        DesiredStreams d = merger.poll(null);

        assertThat(d.streams()).extracting(StreamDefinition::id).containsExactly("lobby");
        assertThat(d.fileError()).startsWith(f + " line 3: not valid YAML");
    }

    @Test
    void anUnreachableVmsKeepsTheLastItems() throws Exception {
        DefinitionsMerger merger = new DefinitionsMerger(loader, null);
        merger.poll(() -> List.of(item("Yard", "rtmp://h/live/y", true)));
        DesiredStreams d = merger.poll(() -> {
            throw new IllegalStateException("connection refused");
        });
        assertThat(d.streams()).extracting(StreamDefinition::id).containsExactly("yard");
        assertThat(d.xprotectError()).contains("connection refused");
    }

    @Test
    void anInvalidPluginItemIsAProblemAndTheOthersRun() {
        DefinitionsMerger merger = new DefinitionsMerger(loader, null);
        DesiredStreams d = merger.poll(() -> List.of(item("Bad", "http://h/live/secret", true),
                item("Good", "rtmps://h/live/g", true)));
        assertThat(d.streams()).extracting(StreamDefinition::id).containsExactly("good");
        assertThat(d.problems()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo("bad");
            assertThat(p.reason()).contains("RtmpUrl 'http://h/live/****'").doesNotContain("secret");
        });
    }

    @Test
    void mapsPluginItemsToDefinitions() {
        DefinitionSet set = PluginStreamItem.toDefinitions(List.of(
                new PluginStreamItem("9f1", "Lobby → YouTube", "cam-guid", "Lobby",
                        "rtmps://a.rtmps.youtube.com/live2/key", false, true)));
        assertThat(set.streams()).containsExactly(new StreamDefinition("lobby-youtube", "Lobby → YouTube",
                "cam-guid", null, false, List.of(new Destination("rtmps://a.rtmps.youtube.com/live2/key", true)),
                StreamSource.XPROTECT));
    }

    @Test
    void readsPluginYesNoPropertiesWithAbsentMeaningTheDefault() {
        assertThat(PluginStreamItem.yesNo(null, true)).isTrue();
        assertThat(PluginStreamItem.yesNo("No", true)).isFalse();
        assertThat(PluginStreamItem.yesNo("Yes", false)).isTrue();
    }

    @Test
    void pluginItemToStringMasksTheKey() {
        assertThat(item("Y", "rtmp://h/live/topsecret", true).toString()).doesNotContain("topsecret");
    }
}
