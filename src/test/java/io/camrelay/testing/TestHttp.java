package io.camrelay.testing;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The tests' HTTP client: HTTP/1.1, as browsers and curl speak to a plain-http server. The JDK client's default
 * (HTTP/2) opens every connection with an h2c upgrade, and one such first request to the status server (Vert.x) once
 * got no response at all, hanging the build: what the tests check is CamRelay's answer, not the upgrade.
 */
public final class TestHttp {

    private TestHttp() {
    }

    /** A new HTTP/1.1 client that gives up connecting after 10 s. */
    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
