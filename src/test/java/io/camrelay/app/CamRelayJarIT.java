package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Ports;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar (-Dcamrelay.jar, set by failsafe) run as an operator runs it: through bin/camrelay, in a fresh
 * working directory.
 */
class CamRelayJarIT {

    private static final HttpClient HTTP = io.camrelay.testing.TestHttp.client();
    /** The launcher users run (README); failsafe runs in the project folder. */
    private static final Path LAUNCHER = Path.of(System.getProperty("basedir", "."), "bin", "camrelay")
            .toAbsolutePath();
    /** The jar under test. */
    private static final Path JAR = Path.of(System.getProperty("camrelay.jar", "target/camrelay.jar")).toAbsolutePath();
    /** The heap bound bin/camrelay gives the JVM (-Xmx256m), as StartupBanner logs it. */
    private static final Pattern MAX_HEAP = Pattern.compile("StartupBanner - JVM max heap (\\d+) MB");
    /** What the simulator's tokens look like (access tokens and VMS tokens). */
    private static final Pattern TOKENS = Pattern.compile("sim-access-[0-9a-f]{8}|TOKEN#[0-9a-f-]{36}#");

    @TempDir
    Path dir;
    private Process process;
    private int port;

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            // a launcher that failed to exec would leave its JVM running as a child
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private void startJar(Map<String, String> env, String... args) throws IOException {
        startJar(JAR, env, args);
    }

    private void startJar(Path jar, Map<String, String> env, String... args) throws IOException {
        assertThat(jar).as("the built jar (mvn package)").exists();
        port = Ports.free();
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.log").toFile()).redirectError(dir.resolve("stderr.log").toFile());
        launcherEnvironment(pb);
        pb.environment().put("CAMRELAY_JAR", jar.toString());
        pb.environment().put("CAMRELAY_STATUS_HTTP", Integer.toString(port));
        pb.environment().putAll(env);
        process = pb.start();
    }

    /** The launcher runs the Java that runs this test, with its default JVM options only. */
    private static void launcherEnvironment(ProcessBuilder pb) {
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("CAMRELAY_JAVA_OPTS");
        pb.environment().remove("CAMRELAY_JAR");
    }

    /** Runs a launcher to its end (it must not start CamRelay) and returns its exit status and output. */
    private static Result runToEnd(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the launcher ends").isTrue();
        return new Result(p.exitValue(), output);
    }

    private record Result(int exitStatus, String output) {
    }

    private String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Stops the process as Ctrl-C / a service manager does (SIGTERM) and returns everything it printed. */
    private String stopAndReadOutput() throws Exception {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("CamRelay stops within 30 s").isTrue();
        return Files.readString(dir.resolve("stdout.log")) + Files.readString(dir.resolve("stderr.log"));
    }

    @Test
    void theDemoWritesADecodableRecordingPublishesToDemoRtmpUrlShutsDownCleanlyAndLeavesAClassArchive()
            throws Exception {
        // a jar of its own: its folder has no class-data archive yet, so this run writes one as it exits
        Path jar = Files.createDirectories(dir.resolve("lib")).resolve("camrelay.jar");
        Files.copy(JAR, jar);
        try (NginxRtmp nginx = NginxRtmp.start()) {
            runDemo(nginx, jar);
        }
        assertTheNextStartsMapTheClassArchive(jar);
    }

    private void runDemo(NginxRtmp nginx, Path jar) throws Exception {
        startJar(jar, Map.of("DEMO_RTMP_URL", nginx.url("demo-key")), "--demo");

        await().ignoreExceptions().atMost(Duration.ofSeconds(40))
                .until(() -> get("/api/streams/demo").contains("\"state\":\"STREAMING\""));
        // the launcher exec'd the JVM: the process a service manager signals is java, not a shell in front of it
        assertThat(process.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("/java"));
        // the demo shows the hold: its camera drops off the recorder 15 s after the start, for 10 s
        await().ignoreExceptions().atMost(Duration.ofSeconds(60))
                .until(() -> get("/api/streams/demo").contains("\"state\":\"HOLDING\""));
        await().ignoreExceptions().atMost(Duration.ofSeconds(60))
                .until(() -> get("/api/streams/demo").contains("\"state\":\"STREAMING\""));
        Thread.sleep(2000);
        String output = stopAndReadOutput();

        assertThat(output).contains("console: http://127.0.0.1:" + port + "/")
                .contains("JVM shutdown hook triggered by SIGTERM")
                .contains("logged out of XProtect").containsPattern("CamRelay\\) shutdown in")
                .doesNotContain("Exception").doesNotContain("JVM heap is not bounded");
        Matcher maxHeap = MAX_HEAP.matcher(output);
        assertThat(maxHeap.find()).as("the start-up line with the max heap").isTrue();
        assertThat(Long.parseLong(maxHeap.group(1))).as("max heap in MB (bin/camrelay: -Xmx256m)").isBetween(1L, 256L);
        Path recording = io.camrelay.testing.FlvFiles.onlyRecordingOf(dir.resolve("output/demo.flv"));
        assertThat(FfProbe.stream(recording, "video").codecName()).isEqualTo("h264");
        assertThat(FfProbe.stream(recording, "audio").codecName()).isEqualTo("aac");
        assertThat(FfProbe.decodeErrors(recording)).isEmpty();
        assertThat(FfProbe.packets(recording).stream().filter(p -> p.codecType().equals("video")).count())
                .as("video packets of ~5 s at 25 fps").isGreaterThan(100);
        Matcher exported = Pattern.compile("demo: export (\\w+) is DONE: (\\S+)").matcher(output);
        assertThat(exported.find()).as("the demo shows an export: " + output).isTrue();
        assertThat(output).contains("bin/camrelay export --demo --camera 'Demo Camera' --from ");
        assertThat(FfProbe.decodeErrors(dir.resolve(exported.group(2)))).isEmpty();
        assertThat(output).contains("demo: the demo camera drops off its recorder for 10 s to show the hold")
                .contains("demo: the demo camera is back on its recorder");
        assertThat(nginx.recordings()).as("one publish through the hold").hasSize(1);
        assertThat(FfProbe.stream(nginx.recordings().get(0), "audio").codecName()).isEqualTo("aac");
        assertThat(FfProbe.decodeErrors(nginx.recordings().get(0))).isEmpty();
        assertThat(output).doesNotContain("demo-key");
        // unpublished on shutdown: the client's deleteStream reached nginx before the connection closed
        String log = nginx.errorLog();
        Matcher publish = Pattern.compile("(\\*\\d+) publish: name='demo-key'").matcher(log);
        assertThat(publish.find()).isTrue();
        String connection = publish.group(1);
        assertThat(log.indexOf(connection + " deleteStream")).as("deleteStream of " + connection).isPositive()
                .isLessThan(log.indexOf(connection + " disconnect"));
        assertThat(output).containsPattern("ClassDataArchive - writing the class-data archive \\S+/lib/camrelay-cds-"
                + "\\d+\\.new-" + process.pid() + "\\.jsa for faster starts");
    }

    /**
     * After a run that started CamRelay (the demo): the next launch keeps the archive the JVM wrote and maps it; a
     * rebuilt jar gets a new one, and a run that never started CamRelay (-version) leaves none behind.
     */
    private void assertTheNextStartsMapTheClassArchive(Path jar) throws Exception {
        Path lib = jar.getParent();
        String mapped = launchWithFlags(jar);
        Matcher archive = Pattern.compile("SharedArchiveFile += (\\S+/camrelay-cds-\\d+\\.jsa) ").matcher(mapped);
        assertThat(archive.find()).as("the second launch maps the archive the demo wrote: " + mapped).isTrue();
        String kept = Path.of(archive.group(1)).getFileName().toString();
        assertThat(filesIn(lib)).as("checked and kept, the marker gone").containsExactlyInAnyOrder("camrelay.jar", kept);

        Files.setLastModifiedTime(jar, FileTime.from(Files.getLastModifiedTime(jar).toInstant().plusSeconds(60)));
        String rebuilt = launchWithFlags(jar);
        assertThat(rebuilt).as("a newer jar: no archive mapped, a new one asked for")
                .containsPattern("ArchiveClassesAtExit += \\S+/camrelay-cds-\\d+\\.new-\\d+\\.jsa ")
                .containsPattern("SharedArchiveFile += +\\{");
        assertThat(filesIn(lib)).as("the old archive removed").doesNotContain(kept)
                .allMatch(f -> f.equals("camrelay.jar") || f.matches("camrelay-cds-\\d+\\.new-\\d+\\.jsa"));
        launchWithFlags(jar);
        assertThat(filesIn(lib)).as("the -version run's archive is not kept: that run never started CamRelay")
                .allMatch(f -> f.equals("camrelay.jar") || f.matches("camrelay-cds-\\d+\\.new-\\d+\\.jsa"))
                .hasSize(2);
    }

    /**
     * Runs the launcher on {@code jar} with {@code userOptions} and {@code -XX:+PrintFlagsFinal -version} as
     * CAMRELAY_JAVA_OPTS: -version before -jar, so java prints its flags and ends without starting CamRelay.
     */
    private String launchWithFlags(Path jar, String... userOptions) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString()).directory(dir.toFile());
        launcherEnvironment(pb);
        pb.environment().put("CAMRELAY_JAR", jar.toString());
        List<String> options = new ArrayList<>(List.of(userOptions));
        options.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        pb.environment().put("CAMRELAY_JAVA_OPTS", String.join(" ", options));
        Result result = runToEnd(pb);
        assertThat(result.exitStatus()).as(result.output()).isZero();
        return result.output();
    }

    private static List<String> filesIn(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    /** Well under what the running jar has (1,797 JVM and Camel attributes read, 22 failed, when written). */
    private static final int MIN_MBEAN_ATTRIBUTES_READ = 1000;

    @Test
    void noStreamKeyPasswordOrTokenIsPrintedOrServed() throws Exception {
        String password = "Pa55-" + Long.toHexString(System.nanoTime());
        String key = "sk-live-" + Long.toHexString(System.nanoTime()) + "-xyz";
        try (XProtectSimulator simulator = XProtectSimulator.builder().credentials("operator", password).build()
                .start(); NginxRtmp nginx = NginxRtmp.start()) {
            Files.createDirectories(dir.resolve("config"));
            Files.writeString(dir.resolve("config/streams.yaml"), """
                    streams:
                      - id: lobby
                        name: Lobby
                        camera: Demo Camera
                        destinations:
                          - url: %s
                          - url: rtmp://127.0.0.1:%d/live/${env:SECOND_KEY}
                    """.formatted(nginx.url(key), nginx.port()));
            startJar(Map.of("CAMRELAY_XPROTECT_URL", simulator.baseUrl(), "CAMRELAY_XPROTECT_USERNAME", "operator",
                    "CAMRELAY_XPROTECT_PASSWORD", password, "SECOND_KEY", key + "-2",
                    "CAMRELAY_STREAMS_POLL_INTERVAL", "1s"));

            await().ignoreExceptions().atMost(Duration.ofSeconds(40))
                    .until(() -> get("/api/streams/lobby").contains("\"state\":\"STREAMING\""));
            Thread.sleep(2000);
            StringBuilder served = new StringBuilder();
            for (String path : List.of("/api/streams", "/api/streams/lobby", "/", "/observe/health",
                    "/observe/health?exposureLevel=full", "/observe/metrics")) {
                served.append(get(path)).append('\n');
            }
            MBeanDump dump = mbeanDump(process.pid());
            String mbeans = dump.text();
            String output = stopAndReadOutput();

            assertThat(served.toString()).contains("rtmp://127.0.0.1:" + nginx.port() + "/live/****")
                    .contains("camrelay_");
            assertThat(mbeans).as("JMX: Camel's MBeans of the running stream route were read")
                    .contains("org.apache.camel:").contains("stream-lobby");
            // the grep below covers what was read: fail if reading silently covered much less than there is
            assertThat(dump.read()).as("JMX attributes read").isGreaterThan(MIN_MBEAN_ATTRIBUTES_READ);
            assertThat(dump.failed()).as("JMX attributes that could not be read").isLessThan(dump.read() / 20);
            for (String text : List.of(served.toString(), output, mbeans)) {
                assertThat(text).doesNotContain(key).doesNotContain(password).doesNotContainPattern(TOKENS);
            }
            assertThat(output).contains("logged out of XProtect");
            assertThat(simulator.logouts()).isEqualTo(1);
            assertThat(nginx.recordings()).hasSize(2);
        }
    }

    /** What {@link #mbeanDump} read: the text, and how many readable attributes were read and how many failed. */
    private record MBeanDump(String text, int read, int failed) {
    }

    /**
     * Every readable attribute of every MBean of the JVM {@code pid} (JMX through the attach API, as jconsole or a
     * monitoring agent would see them), with the MBeans' names; attributes whose read fails are counted.
     */
    private static MBeanDump mbeanDump(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            StringBuilder out = new StringBuilder();
            int read = 0;
            int failed = 0;
            for (ObjectName name : server.queryNames(null, null)) {
                out.append(name).append('\n');
                for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                    if (!attribute.isReadable()) {
                        continue;
                    }
                    try {
                        Object value = server.getAttribute(name, attribute.getName());
                        out.append("  ").append(attribute.getName()).append(" = ").append(value instanceof Object[] a
                                ? Arrays.deepToString(a) : String.valueOf(value)).append('\n');
                        read++;
                    } catch (Exception | LinkageError e) {
                        // unsupported or failing attribute (e.g. an operation-backed one): counted, not shown
                        failed++;
                    }
                }
            }
            return new MBeanDump(out.toString(), read, failed);
        } finally {
            vm.detach();
        }
    }

    @Test
    void userJavaOptionsComeAfterTheLaunchersDefaultsAndWin() throws Exception {
        String flags = launchWithFlags(JAR, "-Xmx384m");

        assertThat(flags).containsPattern("MaxHeapSize += " + 384L * 1024 * 1024 + " ")
                .containsPattern("MaxNewSize += " + 32L * 1024 * 1024 + " ")
                .containsPattern("TrimNativeHeapInterval += 5000 ")
                .containsPattern("ExitOnOutOfMemoryError += true ").containsPattern("UseSerialGC += true ");
    }

    @Test
    void theLauncherNamesTheBuildCommandWhenTheJarIsNotBuilt() throws Exception {
        // a copy of the project without target/: the launcher looks for ../target/camrelay.jar beside itself
        Path copy = Files.createDirectories(dir.resolve("project/bin")).resolve("camrelay");
        Files.copy(LAUNCHER, copy, StandardCopyOption.COPY_ATTRIBUTES);
        ProcessBuilder pb = new ProcessBuilder(copy.toString()).directory(dir.toFile());
        launcherEnvironment(pb);

        Result result = runToEnd(pb);

        assertThat(result.exitStatus()).isEqualTo(1);
        assertThat(result.output())
                .contains(dir.resolve("project").toRealPath() + "/target/camrelay.jar does not exist")
                .contains("build it with: mvn -B -q package -DskipTests");
    }

    @Test
    void theLauncherSaysSoWhenJavaHomeHasNoJava() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString()).directory(dir.toFile());
        launcherEnvironment(pb);
        pb.environment().put("CAMRELAY_JAR", JAR.toString());
        pb.environment().put("JAVA_HOME", dir.toString());

        Result result = runToEnd(pb);

        assertThat(result.exitStatus()).isEqualTo(1);
        assertThat(result.output()).contains("JAVA_HOME is " + dir + ", but " + dir + "/bin/java is not there");
    }
}
