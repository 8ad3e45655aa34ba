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

    /** What XProtect's stored definitions give: streams of source xprotect. */
    private static DefinitionSet xprotect(String... ids) {
        return new DefinitionSet(java.util.Arrays.stream(ids).map(id -> new StreamDefinition(id, id, "cam-guid", null,
                true, List.of(new Destination("rtmp://h/live/" + id, false)), StreamSource.XPROTECT)).toList(),
                List.of());
    }

    private final StreamsFileLoader loader = new StreamsFileLoader(TestDestinationTypes.standard(),
            Map.<String, String>of()::get);

    @Test
    void theFileWinsWhenBothDefineTheSameId() throws Exception {
        DefinitionsMerger merger = new DefinitionsMerger(loader,
                file("streams:\n  - name: Lobby\n    camera: c\n    url: lobby.flv\n"));
        DesiredStreams d = merger.poll(() -> xprotect("lobby", "yard"));
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
        merger.poll(() -> xprotect("yard"));
        DesiredStreams d = merger.poll(() -> {
            throw new IllegalStateException("connection refused");
        });
        assertThat(d.streams()).extracting(StreamDefinition::id).containsExactly("yard");
        assertThat(d.xprotectError()).contains("connection refused");
    }
}
