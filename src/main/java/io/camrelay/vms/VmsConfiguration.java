package io.camrelay.vms;

import io.camrelay.support.Secrets;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How CamRelay reaches XProtect: the management server / API gateway URL, a basic user, TLS trust and timeouts
 * (docs/design.md §4, keys {@code camrelay.xprotect.*}). A plain bean so Camel property binding can fill it;
 * {@link #validate()} checks it once before use. {@link #toString()} masks the password.
 */
public final class VmsConfiguration {

    /** Default connect timeout to the VMS. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default time allowed for one whole request (headers and body). */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private String url;
    private String username;
    private String password;
    private boolean trustAllCertificates;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

    public VmsConfiguration() {
    }

    /** A configuration with the three settings every deployment needs. */
    public static VmsConfiguration of(String url, String username, String password) {
        VmsConfiguration c = new VmsConfiguration();
        c.setUrl(url);
        c.setUsername(username);
        c.setPassword(password);
        return c;
    }

    public String getUrl() {
        return url;
    }

    /**
     * Management server or API gateway base URL, e.g. {@code https://vms} ({@code http://} allowed); key
     * {@code camrelay.xprotect.url}.
     */
    public void setUrl(String url) {
        this.url = url;
    }

    public String getUsername() {
        return username;
    }

    /** An XProtect basic user (IDP password grant); key {@code camrelay.xprotect.username}. */
    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    /** The basic user's password; key {@code camrelay.xprotect.password}. Never logged. */
    public void setPassword(String password) {
        this.password = password;
    }

    public boolean isTrustAllCertificates() {
        return trustAllCertificates;
    }

    /**
     * Accept any VMS certificate and host name (self-signed servers); key
     * {@code camrelay.xprotect.trust-all-certificates}, default false. Logged as a warning.
     */
    public void setTrustAllCertificates(boolean trustAllCertificates) {
        this.trustAllCertificates = trustAllCertificates;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** TCP/TLS connect timeout to the VMS, default 10 s. */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    /** Time allowed for one whole VMS request, response body included, default 30 s. */
    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /**
     * Checks that the settings can work, naming the key to fix.
     *
     * @throws IllegalArgumentException when a setting is missing or malformed
     */
    public VmsConfiguration validate() {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("camrelay.xprotect.url is not set: expected the management server"
                    + " or API gateway URL, e.g. https://vms");
        }
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("camrelay.xprotect.url '" + Secrets.maskUrl(url)
                    + "' is not a valid URL: expected e.g. https://vms", e);
        }
        String scheme = uri.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException("camrelay.xprotect.url '" + Secrets.maskUrl(url)
                    + "' is not an http(s) URL with a host: expected e.g. https://vms");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("camrelay.xprotect.url '" + Secrets.maskUrl(url)
                    + "' contains user info: set camrelay.xprotect.username/password instead");
        }
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("camrelay.xprotect.username is not set: expected an XProtect basic user");
        }
        if (password == null) {
            throw new IllegalArgumentException("camrelay.xprotect.password is not set for user '" + username + "'");
        }
        requirePositive(connectTimeout, "connect timeout");
        requirePositive(requestTimeout, "request timeout");
        return this;
    }

    /** The base URL without a trailing slash. */
    String baseUrl() {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("invalid XProtect " + what + ": " + d + " (expected > 0)");
        }
    }

    @Override
    public String toString() {
        return "VmsConfiguration[url=" + Secrets.maskUrl(url) + ", username=" + username + ", password="
                + (password == null ? "null" : Secrets.MASK) + ", trustAllCertificates=" + trustAllCertificates
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + "]";
    }
}
