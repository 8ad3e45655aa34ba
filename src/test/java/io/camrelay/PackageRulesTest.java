package io.camrelay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each package's {@code package-info.java} states what it may import ("May import: a, b." / "nothing of CamRelay's."
 * / "everything.", and "No Camel." / "No Netty."); this test reads those rules and fails on every source file of
 * {@code src/main/java} that breaks one, naming the file and the reference. Comments and string literals do not
 * count; imports and fully qualified names in code do.
 */
class PackageRulesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern MAY_IMPORT = Pattern.compile("May import: ([^.]*(?:\\.[a-z][^.]*)*)\\.(\\s|$)");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.camrelay((?:\\.[a-z][a-z0-9]*)+)\\.[A-Z*]");
    private static final Pattern CAMEL = Pattern.compile("\\borg\\.apache\\.camel\\.");
    private static final Pattern NETTY = Pattern.compile("\\bio\\.netty\\.");

    /** One package's rules as its package-info states them. */
    record Rules(Set<String> allowed, boolean everything, boolean noCamel, boolean noNetty) {

        static Rules parse(String packageInfo) {
            String text = packageInfo.replaceAll("(?m)^\\s*\\*\\s?", " ").replaceAll("\\s+", " ");
            Matcher m = MAY_IMPORT.matcher(text);
            if (!m.find()) {
                throw new IllegalArgumentException("no 'May import: ….' sentence");
            }
            String list = m.group(1).strip();
            boolean everything = list.equals("everything");
            Set<String> allowed = new TreeSet<>();
            if (!everything && !list.equals("nothing of CamRelay's")) {
                for (String p : list.split(",")) {
                    allowed.add(p.strip());
                }
            }
            return new Rules(allowed, everything, text.contains("No Camel"), text.contains("No Netty"));
        }

        /** What {@code source} of package {@code pkg} does against these rules. */
        List<String> violations(String pkg, String source) {
            String code = codeOnly(source);
            List<String> out = new ArrayList<>();
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
                String referenced = "io.camrelay" + m.group(1);
                if (!everything && !referenced.equals(pkg) && !allowed.contains(referenced)) {
                    out.add("refers to " + referenced);
                }
            }
            if (noCamel && CAMEL.matcher(code).find()) {
                out.add("uses Camel");
            }
            if (noNetty && NETTY.matcher(code).find()) {
                out.add("uses Netty");
            }
            return out.stream().distinct().toList();
        }
    }

    /** The source without comments, string and character literals (text blocks included). */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && source.charAt(i) != c) {
                    i += source.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    @Test
    void everyPackageStatesItsRulesAndEverySourceFileKeepsThem() throws IOException {
        Map<String, List<Path>> packages = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> packages.computeIfAbsent(
                    SOURCES.relativize(f.getParent()).toString().replace('/', '.'), k -> new ArrayList<>()).add(f));
        }
        assertThat(packages).as("packages under " + SOURCES).hasSizeGreaterThan(10);
        List<String> broken = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : packages.entrySet()) {
            Path info = SOURCES.resolve(e.getKey().replace('.', '/')).resolve("package-info.java");
            if (!Files.exists(info)) {
                broken.add(e.getKey() + ": no package-info.java stating what the package may import");
                continue;
            }
            Rules rules;
            try {
                rules = Rules.parse(read(info));
            } catch (IllegalArgumentException ex) {
                broken.add(info + ": " + ex.getMessage());
                continue;
            }
            for (Path file : e.getValue()) {
                for (String v : rules.violations(e.getKey(), read(file))) {
                    broken.add(file + " " + v + ", which its package-info does not allow");
                }
            }
        }
        assertThat(broken).as("package rules broken").isEmpty();
    }

    @Test
    void noSimpleClassNameExistsTwice() throws IOException {
        Map<String, List<String>> byName = new HashMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java"))
                    .forEach(f -> byName.computeIfAbsent(f.getFileName().toString(), k -> new ArrayList<>())
                            .add(f.toString()));
        }
        assertThat(byName.values().stream().filter(l -> l.size() > 1).toList()).isEmpty();
    }

    @Test
    void theCheckCatchesAReferenceAQualifiedNameAndCamelWhereTheRulesForbidThem() {
        Rules media = Rules.parse("/**\n * Pure.\n *\n * <p>May import: io.camrelay.support. No Camel, no Netty.\n */");
        String source = """
                package io.camrelay.media;
                import io.camrelay.support.Secrets;
                import io.camrelay.streams.StreamState;
                import org.apache.camel.Exchange;
                // io.camrelay.vms.VmsSession in a comment does not count
                class X { Object y = new io.camrelay.rtmp.client.RtmpUrl(); String z = "io.camrelay.app.Main"; }
                """;
        assertThat(media.violations("io.camrelay.media", source)).containsExactly("refers to io.camrelay.streams",
                "refers to io.camrelay.rtmp.client", "uses Camel");
        assertThat(Rules.parse(" * May import: everything.").violations("io.camrelay.app", source)).isEmpty();
        assertThat(Rules.parse(" * May import: nothing of CamRelay's. No Netty.").violations("io.camrelay.media",
                "import io.netty.buffer.ByteBuf;")).containsExactly("uses Netty");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
