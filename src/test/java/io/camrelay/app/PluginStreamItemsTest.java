package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.streams.DefinitionSet;
import io.camrelay.streams.Destination;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamSource;
import io.camrelay.vms.RtmpStreamerItem;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginStreamItemsTest {

    private static RtmpStreamerItem item(String name, String url) {
        return new RtmpStreamerItem("a1b2", name, "cam-guid", "Lobby", url, true, false);
    }

    @Test
    void mapsPluginItemsToDefinitions() {
        DefinitionSet set = PluginStreamItems.toDefinitions(List.of(
                new RtmpStreamerItem("9f1", "Lobby → YouTube", "cam-guid", "Lobby",
                        "rtmps://a.rtmps.youtube.com/live2/key", false, true)));
        assertThat(set.streams()).containsExactly(new StreamDefinition("lobby-youtube", "Lobby → YouTube",
                "cam-guid", null, false, List.of(new Destination("rtmps://a.rtmps.youtube.com/live2/key", true)),
                StreamSource.XPROTECT));
    }

    @Test
    void anInvalidItemIsAProblemWithTheKeyMaskedAndTheOthersRun() {
        DefinitionSet set = PluginStreamItems.toDefinitions(List.of(item("Bad", "http://h/live/secret"),
                item("Good", "rtmps://h/live/g")));
        assertThat(set.streams()).extracting(StreamDefinition::id).containsExactly("good");
        assertThat(set.problems()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo("bad");
            assertThat(p.reason()).contains("RtmpUrl 'http://h/live/****'").doesNotContain("secret");
        });
    }

    @Test
    void twoItemsWhoseNamesGiveTheSameIdKeepTheFirstAndReportTheSecond() {
        DefinitionSet set = PluginStreamItems.toDefinitions(List.of(item("Lobby!", "rtmp://h/live/a"),
                new RtmpStreamerItem("c3", "lobby", "cam", "", "rtmp://h/live/b", true, false)));
        assertThat(set.streams()).extracting(StreamDefinition::id).containsExactly("lobby");
        assertThat(set.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                .contains("another item has a name that gives the same stream id 'lobby'"));
    }

    @Test
    void anItemToStringMasksTheKey() {
        assertThat(item("Y", "rtmp://h/live/topsecret").toString()).doesNotContain("topsecret");
    }
}
