package io.camrelay.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.streams.Destination;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamSource;
import io.camrelay.streams.StreamStatusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who may read the status server (docs/design.md §8): the password compared as configured and in constant time, a
 * growing delay after each failed attempt of a client, and on a loopback binding only requests for a loopback name
 * (a DNS-rebinding page's requests carry its own host name).
 */
class StatusAccessTest {

    private static final String CAMERA_NAME = "Vault entrance";
    private final int port = AvailablePortFinder.getNextAvailable();
    private Main main;

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
    }

    /** The status server on 127.0.0.1, with one stream, and these initial properties (key, value, ...). */
    private void start(String... properties) {
        main = GuardedStatusServer.main(port);
        for (int i = 0; i < properties.length; i += 2) {
            main.addInitialProperty(properties[i], properties[i + 1]);
        }
        main.start();
        StreamStatusRegistry registry = main.getCamelContext().getRegistry()
                .lookupByNameAndType(StreamStatusRegistry.BEAN_NAME, StreamStatusRegistry.class);
        registry.define(new StreamDefinition("vault", CAMERA_NAME, "cam-1", null, true,
                List.of(new Destination("output/vault.flv", false)), StreamSource.FILE));
    }

    /** One HTTP/1.1 request with exactly these headers over a plain socket; returns the response, headers and body. */
    private String request(String path, String host, String user, String password) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
            if (host != null) {
                req.append("Host: ").append(host).append("\r\n");
            }
            if (user != null) {
                req.append("Authorization: Basic ").append(Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8))).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    @Test
    void theConfiguredPasswordIsComparedExactlyWithItsSpaces() throws Exception {
        // Given a password with a space at both ends (as the environment or -D keeps it)
        start("camrelay.status.username", "operator", "camrelay.status.password", " s3cret ");

        // Then only the password as configured opens the API
        assertThat(status(request("/api/streams", "127.0.0.1:" + port, "operator", " s3cret "))).isEqualTo(200);
        assertThat(status(request("/api/streams", "127.0.0.1:" + port, "operator", "s3cret"))).isEqualTo(401);
    }

    @Test
    void eachFailedAttemptOfAClientIsAnsweredLaterThanTheOneBefore() throws Exception {
        // Given credentials
        start("camrelay.status.username", "operator", "camrelay.status.password", "s3cret");

        // When the same client guesses wrong twice
        long start = System.nanoTime();
        String first = request("/api/streams", "127.0.0.1:" + port, "operator", "guess-1");
        long firstMs = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        String second = request("/api/streams", "127.0.0.1:" + port, "operator", "guess-2");
        long secondMs = (System.nanoTime() - start) / 1_000_000;

        // Then each is refused, the first after a second at least and the second after two
        assertThat(status(first)).isEqualTo(401);
        assertThat(status(second)).isEqualTo(401);
        assertThat(firstMs).as("ms until the first refusal").isGreaterThanOrEqualTo(1000);
        assertThat(secondMs).as("ms until the second refusal").isGreaterThanOrEqualTo(2000);
        assertThat(first).contains("WWW-Authenticate: Basic realm=\"CamRelay\"").doesNotContain(CAMERA_NAME)
                .doesNotContain("s3cret");
        // and the right password still works, resetting the delay
        assertThat(status(request("/api/streams", "127.0.0.1:" + port, "operator", "s3cret"))).isEqualTo(200);
    }

    @Test
    void theLoopbackServerRefusesRequestsForAnotherHostName() throws Exception {
        // Given the status server on 127.0.0.1 without credentials
        start();

        // When a page whose name was rebound to 127.0.0.1 asks for the streams
        String rebound = request("/api/streams", "attacker.example:" + port, null, null);

        // Then it gets neither camera names nor ids, and is told why
        assertThat(status(rebound)).isEqualTo(403);
        assertThat(rebound).doesNotContain(CAMERA_NAME).doesNotContain("vault")
                .contains("Host 'attacker.example:" + port + "' is not a loopback name");
        // while the names of this machine's loopback work
        assertThat(request("/api/streams", "127.0.0.1:" + port, null, null)).contains(CAMERA_NAME);
        assertThat(request("/api/streams", "localhost:" + port, null, null)).contains(CAMERA_NAME);
        assertThat(request("/api/streams", "[::1]:" + port, null, null)).contains(CAMERA_NAME);
        assertThat(status(request("/observe/health", "attacker.example", null, null))).isEqualTo(403);
    }

    @Test
    void theLoopbackServerChecksTheAuthorityOfHttp2RequestsToo() throws Exception {
        // Given the status server on 127.0.0.1, which also speaks cleartext HTTP/2
        start();
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));

            // When an HTTP/2 request (no Host header, an :authority) names another host
            int status = client.request(new RequestOptions().setServer(SocketAddress.inetSocketAddress(port,
                            "127.0.0.1")).setHost("attacker.example").setPort(port).setURI("/api/streams"))
                    .compose(HttpClientRequest::send).map(HttpClientResponse::statusCode)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

            // Then it is refused like an HTTP/1.1 one
            assertThat(status).isEqualTo(403);
        } finally {
            vertx.close();
        }
    }

    @Test
    void namesListedInAllowedHostsAreAcceptedOnTheLoopbackServer() throws Exception {
        // Given a reverse proxy on this machine that passes its own host name on
        start("camrelay.status.allowed-hosts", "status.example.org, proxy.local");

        assertThat(request("/api/streams", "status.example.org", null, null)).contains(CAMERA_NAME);
        assertThat(request("/api/streams", "PROXY.local:443", null, null)).contains(CAMERA_NAME);
        assertThat(status(request("/api/streams", "attacker.example", null, null))).isEqualTo(403);
    }
}
