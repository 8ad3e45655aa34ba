package io.camrelay.web;

import io.camrelay.streams.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusServerGuardTest {

    private static Main main(String host, int port) {
        Main main = new Main();
        main.bind(StreamStatusRegistry.BEAN_NAME, new StreamStatusRegistry());
        main.configure().addRoutesBuilder(new StatusRoutes());
        main.addMainListener(new GuardListener());
        main.addInitialProperty("camrelay.status.host", host);
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "{{camrelay.status.host}}");
        main.addInitialProperty("camel.server.port", Integer.toString(port));
        return main;
    }

    private static int status(int port, String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (auth != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        return io.camrelay.testing.TestHttp.client().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void refusesToStartOnAnAddressOthersCanReachWithoutCredentials() {
        Main main = main("0.0.0.0", AvailablePortFinder.getNextAvailable());
        try {
            assertThatThrownBy(main::start).hasStackTraceContaining("the status server would listen on '0.0.0.0'"
                    + " (camel.server.host, which CamRelay sets from camrelay.status.host), which other machines can"
                    + " reach, but no credentials are set: set camrelay.status.username and camrelay.status.password");
        } finally {
            main.stop();
        }
    }

    @Test
    void requiresBasicAuthenticationWhenCredentialsAreSet() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Main main = main("127.0.0.1", port);
        main.addInitialProperty("camrelay.status.username", "operator");
        main.addInitialProperty("camrelay.status.password", "s3cret=pass");
        main.start();
        try {
            assertThat(status(port, "/api/streams", null)).isEqualTo(401);
            assertThat(status(port, "/observe/health", null)).isEqualTo(401);
            assertThat(status(port, "/api/streams", "operator:wrong")).isEqualTo(401);
            assertThat(status(port, "/api/streams", "operator:s3cret=pass")).isEqualTo(200);
            assertThat(status(port, "/observe/health", "operator:s3cret=pass")).isEqualTo(200);
        } finally {
            main.stop();
        }
    }

    /** Starts {@link GuardedStatusServer} in a JVM of its own with {@code env}; returns what it printed. */
    private static String startInOwnJvm(Map<String, String> env, int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GuardedStatusServer.class.getName(),
                Integer.toString(port)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (System.nanoTime() < end && (line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith(GuardedStatusServer.STARTED) || line.startsWith(GuardedStatusServer.REFUSED)) {
                    break;
                }
            }
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return out.toString();
    }

    @Test
    void refusesToStartWhenTheEnvironmentBindsCamelsServerElsewhere() throws Exception {
        // Given CAMEL_SERVER_HOST=0.0.0.0 (camrelay.status.host stays 127.0.0.1) and no credentials
        int port = AvailablePortFinder.getNextAvailable();

        // When the status server starts
        String out = startInOwnJvm(Map.of("CAMEL_SERVER_HOST", "0.0.0.0"), port);

        // Then it refuses, naming the address it would have listened on
        assertThat(out).as("output of the status server").doesNotContain(GuardedStatusServer.STARTED)
                .contains(GuardedStatusServer.REFUSED + "the status server would listen on '0.0.0.0'");
    }

    @Test
    void refusesToStartWhenTheEnvironmentSetsTheStatusHost() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();

        String out = startInOwnJvm(Map.of("CAMRELAY_STATUS_HOST", "0.0.0.0"), port);

        assertThat(out).as("output of the status server").doesNotContain(GuardedStatusServer.STARTED)
                .contains(GuardedStatusServer.REFUSED + "the status server would listen on '0.0.0.0'");
    }

    @Test
    void refusesToStartWhenASystemPropertyBindsCamelsServerElsewhere() {
        // Given -Dcamel.server.host=0.0.0.0 and no credentials
        Main main = GuardedStatusServer.main(AvailablePortFinder.getNextAvailable());
        System.setProperty("camel.server.host", "0.0.0.0");
        try {
            // When it starts, then it refuses
            assertThatThrownBy(main::start).hasStackTraceContaining("the status server would listen on '0.0.0.0'");
        } finally {
            System.clearProperty("camel.server.host");
            main.stop();
        }
    }

    @Test
    void refusesToStartWhenThePropertiesFileBindsCamelsServerElsewhere(@TempDir Path dir) throws Exception {
        // Given config/application.properties with camel.server.host = 0.0.0.0 (camrelay.status.host untouched)
        Path file = Files.writeString(dir.resolve("application.properties"), "camel.server.host = 0.0.0.0\n");
        Main main = GuardedStatusServer.main(AvailablePortFinder.getNextAvailable());
        main.setPropertyPlaceholderLocations("file:" + file);
        try {
            // When it starts, then it refuses
            assertThatThrownBy(main::start).hasStackTraceContaining("the status server would listen on '0.0.0.0'");
        } finally {
            main.stop();
        }
    }

    @Test
    void refusesCamelsManagementServerOnAReachableAddress() {
        // Given Camel's management server switched on, which binds 0.0.0.0 by default and bypasses the status auth
        Main main = GuardedStatusServer.main(AvailablePortFinder.getNextAvailable());
        main.addInitialProperty("camel.management.enabled", "true");
        main.addInitialProperty("camel.management.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        try {
            assertThatThrownBy(main::start).hasStackTraceContaining("Camel's management server would listen on "
                    + "'0.0.0.0'");
        } finally {
            main.stop();
        }
    }

    @Test
    void treatsOnlyLoopbackAddressesAsPrivate() {
        assertThat(StatusServerGuard.isLoopback("127.0.0.1")).isTrue();
        assertThat(StatusServerGuard.isLoopback("localhost")).isTrue();
        assertThat(StatusServerGuard.isLoopback("::1")).isTrue();
        assertThat(StatusServerGuard.isLoopback("0.0.0.0")).isFalse();
        assertThat(StatusServerGuard.isLoopback("192.168.1.10")).isFalse();
        assertThat(StatusServerGuard.isLoopback("camrelay.example")).isFalse();
    }
}
