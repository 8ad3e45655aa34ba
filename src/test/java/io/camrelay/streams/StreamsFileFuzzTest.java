package io.camrelay.streams;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.camrelay.testing.FuzzContract;
import io.camrelay.testing.ShortFuzz;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target of the streams-file loader (docs/design.md §5): any text becomes a definition set (streams and
 * problems naming line and field) or a {@link StreamsFileException}, nothing else, with memory proportional to the
 * text (YAML aliases cannot multiply it), and no key of the environment in an error or a problem's message.
 */
class StreamsFileFuzzTest {

    private static final String KEY = "fuzz-secret-key-value";
    private static final StreamsFileLoader LOADER = new StreamsFileLoader(TestDestinationTypes.standard(),
            Map.of("YT_KEY", KEY, "EMPTY", "")::get);

    static final FuzzContract CONTRACT = FuzzContract.of("StreamsFileLoader", 4 * 1024 * 1024, 2048, input -> {
        try {
            DefinitionSet set = LOADER.parse(new String(input, StandardCharsets.UTF_8), "fuzz.yaml");
            for (StreamProblem p : set.problems()) {
                FuzzContract.require(!p.reason().contains(KEY), "a problem's message shows the key: " + p.reason(),
                        input);
            }
        } catch (StreamsFileException e) {
            FuzzContract.require(e.getMessage() == null || !e.getMessage().contains(KEY), "an error shows the key: "
                    + e.getMessage(), input);
            throw e;
        }
    }, StreamsFileException.class);

    @FuzzTest
    void streamsFile(byte[] input) {
        CONTRACT.check(input);
    }

    @Test
    void mutationsOfTheStoredCorpusKeepTheContract() {
        ShortFuzz.run(getClass(), "streamsFile", CONTRACT, ShortFuzz.DEFAULT_EXECUTIONS / 10);
    }
}
