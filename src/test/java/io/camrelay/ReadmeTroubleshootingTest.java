package io.camrelay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's troubleshooting table quotes CamRelay's messages; this test keeps the table true. Every quoted message
 * (each {@code `…`} of the first column) must be found in CamRelay's sources: each of its fixed parts in the string
 * literals of one file (literals joined by {@code +} count as one; the README's placeholders — {@code …},
 * {@code <reason>}, a lone {@code N} or {@code X}, a number (the value of a constant) — stand for what the code fills in, and a message the code puts
 * together in several places may list its parts in any order). Messages that other software prints are listed below
 * with where they come from.
 */
class ReadmeTroubleshootingTest {

    private static final Path README = Path.of("README.md");
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java"), Path.of("bin"));
    /** What the code fills in: between two literals, or an SLF4J placeholder. */
    private static final char HOLE = '\u0001';
    private static final Pattern QUOTED = Pattern.compile("`([^`]+)`");
    private static final Pattern PLACEHOLDER = Pattern.compile("…|\\.\\.\\.|<[a-z ]+>|\\b[NXM]\\b|\\b\\d+\\b|\\*\\*\\*\\*");

    /** Messages the README quotes that are not CamRelay's own, and whose they are. */
    private static final Map<String, String> FOREIGN = Map.of(
            "This Gauge has been already registered", "Micrometer, on a route restart",
            "camel.exchange.event.notifier … registration has failed", "Camel's metrics notifier",
            "Terminating due to java.lang.OutOfMemoryError: Java heap space", "the JVM (-XX:+ExitOnOutOfMemoryError)",
            "Address already in use", "the JDK's socket bind",
            "… certificate … (PKIX …)", "the JDK's certificate check, inside CamRelay's message",
            "Security token invalid", "the recording server's connect reply (CamRelay quotes it)");

    @Test
    void everyMessageTheTroubleshootingTableQuotesIsOneCamRelayPrints() throws IOException {
        List<String> corpora = corpora();
        List<String> quoted = quotedMessages();
        assertThat(quoted).as("messages in the README's troubleshooting table").hasSizeGreaterThan(20);
        List<String> missing = new ArrayList<>();
        for (String message : quoted) {
            if (FOREIGN.containsKey(message)) {
                continue;
            }
            if (corpora.stream().noneMatch(c -> containsAll(c, fragments(message)))) {
                missing.add(message);
            }
        }
        assertThat(missing).as("README messages that no source prints (fix the README row or the message)")
                .isEmpty();
    }

    @Test
    void theMatchingFindsFixedPartsAcrossConcatenationAndPlaceholdersButNotAChangedWord() {
        String corpus = literals("""
                LOG.warn("stream {} failed: {}; restarting it in {} s", id, reason, delay);
                throw new X("destination " + url + " could not be"
                        + " started: " + why);
                """);
        assertThat(containsAll(corpus, fragments("stream X failed: <reason>; restarting it in N s"))).isTrue();
        assertThat(containsAll(corpus, fragments("destination <path> could not be started: …"))).isTrue();
        assertThat(containsAll(corpus, fragments("stream X failed: <reason>; retrying in N s"))).isFalse();
        assertThat(containsAll(corpus, fragments("destination <path> could not start: …"))).isFalse();
    }

    /** The first-column quotes of the troubleshooting table. */
    private static List<String> quotedMessages() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Troubleshooting");
        assertThat(start).as("README has a Troubleshooting section").isPositive();
        int end = readme.indexOf("\n## ", start + 5);
        List<String> out = new ArrayList<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            String[] cells = line.split("\\|");
            if (!line.startsWith("|") || cells.length < 2 || cells[1].contains("---") || cells[1].contains("message (")) {
                continue;
            }
            Matcher m = QUOTED.matcher(cells[1]);
            while (m.find()) {
                out.add(m.group(1).strip());
            }
        }
        return out;
    }

    /** The fixed parts of a README message, in order. */
    static List<String> fragments(String message) {
        List<String> out = new ArrayList<>();
        for (String part : PLACEHOLDER.split(message)) {
            String p = part.strip();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    static boolean containsAll(String corpus, List<String> fragments) {
        return fragments.stream().allMatch(corpus::contains);
    }

    /** Per source file, its string literals in order: joined directly where the code concatenates them. */
    private static List<String> corpora() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path root : SOURCES) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    out.add(f.toString().endsWith(".java") ? literals(text) : text);
                }
            }
        }
        return out;
    }

    /** The string literals of Java source, with {@code {}} and whatever the code puts between them as holes. */
    static String literals(String source) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = source.length();
        boolean lastWasLiteral = false;
        int lastLiteralEnd = 0;
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                i = source.indexOf('\n', i) < 0 ? n : source.indexOf('\n', i);
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                out.append(HOLE).append(source, i + 3, end < 0 ? n : end);
                i = end < 0 ? n : end + 3;
                lastWasLiteral = false;
            } else if (c == '\'') {
                i += source.charAt(i + 1) == '\\' ? 4 : 3;
            } else if (c == '"') {
                String between = source.substring(lastLiteralEnd, i);
                boolean joined = lastWasLiteral && between.replaceAll("[\\s+]", "").isEmpty();
                if (!joined) {
                    out.append(HOLE);
                }
                int j = i + 1;
                while (j < n && source.charAt(j) != '"') {
                    if (source.charAt(j) == '\\' && j + 1 < n) {
                        out.append(source.charAt(j + 1) == 'n' ? '\n' : source.charAt(j + 1));
                        j += 2;
                    } else {
                        out.append(source.charAt(j));
                        j++;
                    }
                }
                i = j + 1;
                lastWasLiteral = true;
                lastLiteralEnd = i;
            } else {
                i++;
            }
        }
        // what the code fills in: an SLF4J placeholder, a format specifier, or a value between two literals
        return out.toString().replace("{}", String.valueOf(HOLE)).replaceAll("%[-0-9.]*[sdf]", String.valueOf(HOLE));
    }
}
