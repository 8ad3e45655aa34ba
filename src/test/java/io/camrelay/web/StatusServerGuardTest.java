package io.camrelay.web;

import io.camrelay.streams.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

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
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void refusesToStartOnAnAddressOthersCanReachWithoutCredentials() {
        Main main = main("0.0.0.0", AvailablePortFinder.getNextAvailable());
        try {
            assertThatThrownBy(main::start).hasStackTraceContaining("camrelay.status.host is '0.0.0.0', which other"
                    + " machines can reach, but no credentials are set: set camrelay.status.username and"
                    + " camrelay.status.password");
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
