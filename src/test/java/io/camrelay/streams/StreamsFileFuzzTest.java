package io.camrelay.streams;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.camrelay.support.Secrets;
import io.camrelay.testing.FuzzContract;
import io.camrelay.testing.ShortFuzz;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target of the streams-file loader (docs/design.md §5): any text becomes a definition set (streams and
 * problems naming line and field) or a {@link StreamsFileException}, nothing else, with memory proportional to the
 * text (YAML aliases cannot multiply it), and no key that came from the environment into a destination URL's key in an
 * error or a problem's message (a message may quote the file itself, other fields' values and hosts).
 */
class StreamsFileFuzzTest {

    /** The same file is loaded with two values of the key's variable: a message that differs by them shows it. */
    private static final String KEY = "fuzz-key-one-1111";
    private static final String OTHER_KEY = "fuzz-key-two-2222";
    private static final StreamsFileLoader LOADER = new StreamsFileLoader(TestDestinationTypes.standard(),
            Map.of("YT_KEY", KEY, "EMPTY", "")::get);
    private static final StreamsFileLoader OTHER_LOADER = new StreamsFileLoader(TestDestinationTypes.standard(),
            Map.of("YT_KEY", OTHER_KEY, "EMPTY", "")::get);

    private static final String FAILED = "failed: ";

    static final FuzzContract CONTRACT = FuzzContract.of("StreamsFileLoader", 8 * 1024 * 1024, 4096, input -> {
        String text = new String(input, StandardCharsets.UTF_8);
        String messages = messages(LOADER, text);
        // A message may quote the file, other fields' values and the hosts and applications of URLs; a key that came
        // from the environment into what the masker treats as a destination URL's key must never show.
        // The key shows when each load's messages hold that load's value and not the other's (text the file holds
        // itself, or that a slug of it makes, is the same in both loads).
        if (inKeyPositionsOnly(text)) {
            String other = messages(OTHER_LOADER, text);
            boolean leaked = messages.contains(KEY) && !messages.contains(OTHER_KEY) && other.contains(OTHER_KEY)
                    && !other.contains(KEY);
            FuzzContract.require(!leaked, "a message shows the key: " + messages, input);
        }
        if (messages.startsWith(FAILED)) {
            throw new StreamsFileException(messages.substring(FAILED.length()), null);
        }
    }, StreamsFileException.class);

    /** The problems' messages of {@code text}, or {@value #FAILED} and the error. */
    private static String messages(StreamsFileLoader loader, String text) {
        try {
            StringBuilder out = new StringBuilder();
            for (StreamProblem p : loader.parse(text, "fuzz.yaml").problems()) {
                out.append(p.reason()).append('\n');
            }
            return out.toString();
        } catch (StreamsFileException e) {
            return FAILED + e.getMessage();
        }
    }

    private static final Pattern KEY_VARIABLE = Pattern.compile("\\$\\{env:YT_KEY(?::[^}]*)?}");

    /**
     * {@code text} is YAML that refers to the key's variable, and only where a destination URL holds its key: in the
     * value of a {@code url} entry, where {@link Secrets#maskDestination} masks it.
     */
    private static boolean inKeyPositionsOnly(String text) {
        if (!KEY_VARIABLE.matcher(text).find()) {
            return false;
        }
        try {
            YamlTree.Node root = YamlTree.parse(text);
            return root != null && onlyInUrlKeys(root, null);
        } catch (YamlTree.SyntaxException e) {
            return false;
        }
    }

    private static boolean onlyInUrlKeys(YamlTree.Node node, String key) {
        if (node instanceof YamlTree.MapNode map) {
            List<YamlTree.Entry> entries = new ArrayList<>(map.entries().values());
            entries.addAll(map.duplicates());
            for (YamlTree.Entry e : entries) {
                if (KEY_VARIABLE.matcher(e.key()).find() || !onlyInUrlKeys(e.value(), e.key())) {
                    return false;
                }
            }
            return true;
        }
        if (node instanceof YamlTree.ListNode list) {
            return list.items().stream().allMatch(item -> onlyInUrlKeys(item, null));
        }
        String value = ((YamlTree.Scalar) node).text();
        if (value == null || !KEY_VARIABLE.matcher(value).find()) {
            return true;
        }
        // the masker's rule decides what of a destination is a secret: where it keeps the value, so may a message
        String substituted = KEY_VARIABLE.matcher(value).replaceAll(KEY);
        return "url".equals(key) && !Secrets.maskDestination(substituted).contains(KEY);
    }

    @FuzzTest
    void streamsFile(byte[] input) {
        CONTRACT.check(input);
    }

    @Test
    void mutationsOfTheStoredCorpusKeepTheContract() {
        ShortFuzz.run(getClass(), "streamsFile", CONTRACT, ShortFuzz.DEFAULT_EXECUTIONS / 10);
    }
}
