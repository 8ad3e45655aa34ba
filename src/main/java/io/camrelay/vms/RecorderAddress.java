package io.camrelay.vms;

import java.net.URI;
import java.util.Objects;

/**
 * Where a recording server's ImageServer listens, from its {@code webServerUri}: {@code https} means a TLS socket
 * (docs/protocols.md §1.1, §4).
 *
 * @param host recorder host name or address
 * @param port ImageServer port (7563 by default)
 * @param tls  whether to speak TLS
 */
public record RecorderAddress(String host, int port, boolean tls) {

    /** The ImageServer's default port. */
    public static final int DEFAULT_PORT = 7563;

    public RecorderAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("recorder host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid recorder port: " + port + " (expected 1 ~ 65535)");
        }
    }

    /** Parses a recording server's {@code webServerUri}, e.g. {@code http://rec1:7563/}. */
    public static RecorderAddress fromWebServerUri(String webServerUri) {
        URI uri;
        try {
            uri = URI.create(webServerUri.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid recording server webServerUri '" + webServerUri + "'", e);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("recording server webServerUri '" + webServerUri + "' has no host");
        }
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        return new RecorderAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT, tls);
    }
}
