package io.camrelay;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.NginxRtmp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a Camel application that depends on {@code io.camrelay:camrelay} receives (README "Using the components"):
 * this build's pom and thin jar go into a local repository of the test's own, a project with only that dependency
 * and the README's program is generated, Maven resolves, lists and compiles it offline, and the program streams the
 * simulator's demo camera into nginx-rtmp. Its dependencies hold nothing of the application (Camel Main, YAML DSL,
 * Quartz, platform HTTP, Vert.x, Prometheus, controlbus, management), no logging backend and no Micrometer; the
 * recording decodes.
 *
 * <p>The test's repository links every group of the shared local repository except {@code io/camrelay}, so Maven
 * finds what the main build downloaded (the main build also resolves the dependency plugin for it) and this build's
 * artifact, never one installed by hand.
 */
class ComponentConsumerIT {

    private static final Path README = Path.of("README.md");
    private static final String README_SECTION = "## Using the components in your own Camel application";
    private static final long RUN_MS = 12_000;
    private static final String STREAM_KEY = "consumer";

    /** The application's dependencies (artifactId patterns): none may reach a component user. */
    private static final List<String> APPLICATION_ONLY = List.of("camel-main", "camel-yaml-dsl", "camel-quartz",
            "camel-platform-http.*", "vertx.*", "micrometer-registry-prometheus", "camel-controlbus",
            "camel-management", "camel-micrometer.*", "jackson-dataformat-yaml", "jackson-datatype-jsr310");
    /** Logging backends (SLF4J providers) and Micrometer, which are the application's choice. */
    private static final List<String> NOT_A_LIBRARY_CHOICE = List.of("log4j-core", "log4j-slf4j.*", "logback-.*",
            "slf4j-simple", "slf4j-reload4j", "slf4j-jdk14", "micrometer-.*");
    /** What the components need. */
    private static final List<String> NEEDED = List.of("camel-support", "camel-health", "netty-handler",
            "netty-codec", "netty-transport", "netty-buffer", "jackson-databind", "slf4j-api");

    private static final Pattern LISTED = Pattern.compile(
            "^\\s*([\\w.\\-]+):([\\w.\\-]+):[\\w\\-]+(?::[\\w.\\-]+)?:([\\w.\\-]+):(compile|runtime)\\b.*$");

    @Test
    void aProjectDependingOnTheArtifactGetsOnlyWhatTheComponentsNeedAndTheReadmeProgramStreams() throws Exception {
        Files.createDirectories(Path.of("target"));
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "consumer-");
        Path repository = linkedRepository(work.resolve("repository"));
        try {
            install(repository);
            consumeAndStream(work, repository);
        } finally {
            unlink(repository);
        }
    }

    private static void consumeAndStream(Path work, Path repository) throws Exception {
        try (XProtectSimulator vms = XProtectSimulator.builder().build().start(); NginxRtmp nginx = NginxRtmp.start()) {
            Path project = consumerProject(work.resolve("project"), vms.baseUrl(), nginx);

            maven(project, repository);
            assertOnlyWhatTheComponentsNeed(project);

            Processes.Ran relay = run(project, vms.password());
            assertThat(relay.exitCode()).as("the README's program exits after its run; it printed:\n" + relay.output())
                    .isZero();
            assertOneDecodableRecording(nginx);
        }
    }

    private static void assertOnlyWhatTheComponentsNeed(Path project) throws IOException {
        List<String> dependencies = listed(project.resolve("target/dependencies.txt"));
        String tree = Files.readString(project.resolve("target/dependency-tree.txt"));
        System.out.printf("figures: the consumer resolves %d artifacts:%n  %s%n%s%n", dependencies.size(),
                String.join("\n  ", dependencies), tree);
        List<String> artifactIds = dependencies.stream().map(d -> d.split(":")[1]).toList();
        assertThat(artifactIds).as("the components' dependencies").containsAll(NEEDED);
        for (String pattern : concat(APPLICATION_ONLY, NOT_A_LIBRARY_CHOICE)) {
            assertThat(artifactIds).as("dependencies matching " + pattern).noneMatch(a -> a.matches(pattern));
            assertThat(tree).as("dependency tree, " + pattern).doesNotContainPattern(":" + pattern + ":(jar|pom)");
        }
    }

    private static void assertOneDecodableRecording(NginxRtmp nginx) {
        List<Path> recordings = nginx.recordings();
        assertThat(recordings).as("nginx recordings (error log: " + nginx.errorLog() + ")").hasSize(1);
        Path flv = recordings.get(0);
        assertThat(FfProbe.decodeErrors(flv)).isEmpty();
        FfProbe.Stream video = FfProbe.stream(flv, "video");
        System.out.printf("figures: the README's program relayed %d frames in %d s%n", video.frames(), RUN_MS / 1000);
        assertThat(video.codecName()).isEqualTo("h264");
        // 25 fps for the run, less the login, session set-up and the wait for the first key frame
        assertThat(video.frames()).isGreaterThan((int) (RUN_MS / 40 * 0.6));
        assertThat(FfProbe.stream(flv, "audio").codecName()).isEqualTo("aac");
    }

    /**
     * A local repository whose entries link to the shared one's, except {@code io/camrelay}: Maven reads every
     * third-party artifact from there and this build's from here.
     */
    private static Path linkedRepository(Path repository) throws IOException {
        Path shared = Path.of(System.getProperty("camrelay.it.localRepository",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        Files.createDirectories(repository.resolve("io"));
        link(shared, repository, "io");
        link(shared.resolve("io"), repository.resolve("io"), "camrelay");
        return repository;
    }

    /** Links each entry of {@code from} into {@code to}, except {@code except}. */
    private static void link(Path from, Path to, String except) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> entries = Files.list(from)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.equals(except)) {
                    Files.createSymbolicLink(to.resolve(name), entry);
                }
            }
        }
    }

    /** Removes the links (never what they point to), so nothing that cleans target/ can reach the shared repository. */
    private static void unlink(Path repository) throws IOException {
        for (Path dir : List.of(repository, repository.resolve("io"))) {
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.toList()) {
                    if (Files.isSymbolicLink(entry)) {
                        Files.delete(entry);
                    }
                }
            }
        }
    }

    /** What {@code mvn install} would put there: this build's pom and thin jar. */
    private static void install(Path repository) throws IOException {
        String version = System.getProperty("camrelay.version", "0.1.0-SNAPSHOT");
        Path dir = Files.createDirectories(repository.resolve("io/camrelay/camrelay/" + version));
        Path jar = Path.of("target", "camrelay-thin.jar");
        assertThat(jar).as("the thin jar (mvn package builds it)").isRegularFile();
        Files.copy(Path.of("pom.xml"), dir.resolve("camrelay-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(jar, dir.resolve("camrelay-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A project with the one dependency and the README's program, pointed at the simulator and nginx. */
    private static Path consumerProject(Path project, String vmsUrl, NginxRtmp nginx) throws IOException {
        String pom = """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example.consumer</groupId>
                  <artifactId>relay</artifactId>
                  <version>1</version>
                  <properties>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <maven.compiler.release>17</maven.compiler.release>
                  </properties>
                  <dependencies>
                    <dependency>
                      <groupId>io.camrelay</groupId>
                      <artifactId>camrelay</artifactId>
                      <version>%s</version>
                    </dependency>
                    <!-- the application's Camel runtime: a DefaultCamelContext needs the simple language -->
                    <dependency>
                      <groupId>org.apache.camel</groupId>
                      <artifactId>camel-core-languages</artifactId>
                      <version>%s</version>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId>
                        <version>%s</version>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId>
                        <version>%s</version>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId>
                        <version>%s</version>
                        <executions>
                          <execution>
                            <id>list</id><phase>compile</phase><goals><goal>list</goal></goals>
                            <configuration>
                              <outputFile>${project.build.directory}/dependencies.txt</outputFile>
                              <sort>true</sort>
                            </configuration>
                          </execution>
                          <execution>
                            <id>tree</id><phase>compile</phase><goals><goal>tree</goal></goals>
                            <configuration><outputFile>${project.build.directory}/dependency-tree.txt</outputFile></configuration>
                          </execution>
                          <execution>
                            <id>classpath</id><phase>compile</phase><goals><goal>build-classpath</goal></goals>
                            <configuration><outputFile>${project.build.directory}/classpath.txt</outputFile></configuration>
                          </execution>
                        </executions>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(System.getProperty("camrelay.version", "0.1.0-SNAPSHOT"), pomValue("camel.version"),
                pluginVersion("maven-resources-plugin"), pluginVersion("maven-compiler-plugin"),
                pluginVersion("maven-dependency-plugin"));
        Files.createDirectories(project.resolve("src/main/java"));
        Files.writeString(project.resolve("pom.xml"), pom);
        String program = readmeProgram();
        program = replaceOnce(program, "\"https://vms\"", "\"" + vmsUrl + "\"");
        program = replaceOnce(program, "rtmps://a.rtmps.youtube.com/live2", "rtmp://127.0.0.1:" + nginx.port() + "/live");
        program = replaceOnce(program, "Thread.currentThread().join();", "Thread.sleep(" + RUN_MS + ");");
        Files.writeString(project.resolve("src/main/java/Relay.java"), program);
        return project;
    }

    /** {@code program} with its one {@code literal} replaced: the test fails when the README no longer has it. */
    private static String replaceOnce(String program, String literal, String replacement) {
        int first = program.indexOf(literal);
        assertThat(first).as("the README's program contains " + literal).isNotNegative();
        assertThat(program.indexOf(literal, first + 1)).as("the README's program contains " + literal + " once")
                .isNegative();
        return program.replace(literal, replacement);
    }

    /** The first Java block of the README's "Using the components" section. */
    private static String readmeProgram() throws IOException {
        String readme = Files.readString(README);
        int section = readme.indexOf(README_SECTION);
        assertThat(section).as("README section " + README_SECTION).isNotNegative();
        Matcher java = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(java.find(section)).as("a java block in " + README_SECTION).isTrue();
        return java.group(1);
    }

    /** The version the main pom pins for {@code artifactId}, so the consumer build runs the plugins it has. */
    private static String pluginVersion(String artifactId) throws IOException {
        return pomMatch("<artifactId>" + Pattern.quote(artifactId) + "</artifactId><version>([^<]+)</version>",
                artifactId + "'s version in pom.xml's pluginManagement");
    }

    /** A property of the main pom. */
    private static String pomValue(String property) throws IOException {
        return pomMatch("<" + Pattern.quote(property) + ">([^<]+)</", property + " in pom.xml");
    }

    private static String pomMatch(String regex, String what) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).as(what).isTrue();
        return m.group(1);
    }

    /** mvn -o compile of the consumer project against {@code repository}, which also lists its dependencies. */
    private static void maven(Path project, Path repository) throws Exception {
        String home = System.getProperty("maven.home");
        String mvn = home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))
                ? Path.of(home, "bin", "mvn").toString() : "mvn";
        Processes.Ran build = Processes.run(project, Map.of(), 300, mvn, "-o", "-B", "-Dmaven.repo.local=" + repository,
                "compile");
        assertThat(build.exitCode()).as("mvn -o compile of the consumer project:\n" + build.output()).isZero();
    }

    /** Runs the compiled README program on the class path Maven resolved. */
    private static Processes.Ran run(Path project, String vmsPassword) throws Exception {
        String classPath = project.resolve("target/classes") + java.io.File.pathSeparator
                + Files.readString(project.resolve("target/classpath.txt")).strip();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Processes.run(project, Map.of("VMS_PASSWORD", vmsPassword, "YOUTUBE_STREAM_KEY", STREAM_KEY),
                RUN_MS / 1000 + 60, java, "-cp", classPath, "Relay");
    }

    /** The {@code group:artifact:version} of each compile/runtime dependency dependency:list wrote. */
    private static List<String> listed(Path file) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = LISTED.matcher(line);
            if (m.matches()) {
                out.add(m.group(1) + ":" + m.group(2) + ":" + m.group(3));
            }
        }
        assertThat(out).as("dependencies listed in " + file).isNotEmpty();
        return List.copyOf(out);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Runs a process in a directory with extra environment, its output (both streams) kept. */
    private static final class Processes {

        record Ran(int exitCode, String output) {
        }

        static Ran run(Path dir, Map<String, String> env, long timeoutSeconds, String... command) throws Exception {
            Path out = Files.createTempFile(dir, "process-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds
                        + " s:\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Ran(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        }
    }
}
