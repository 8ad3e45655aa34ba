package io.camrelay.web;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The status server's door (docs/design.md §8), first on every path: on a loopback binding it answers only requests
 * for a loopback name (or a name in {@code camrelay.status.allowed-hosts}), so a page whose DNS name was rebound to
 * 127.0.0.1 cannot read camera names and ids; with credentials set it requires basic authentication, comparing user
 * and password in constant time and exactly as configured, and answers each failed attempt of a client later than the
 * one before (1 s doubling to 30 s, forgotten after 15 min or a success). Runs on the HTTP server's event loop; the
 * delay is a timer, never a blocked thread.
 */
final class StatusAccess implements AuthenticationHandler {

    /** The answer to a client's first failed attempt waits this long; each further one twice as long. */
    static final long FIRST_DELAY_MS = 1000;
    /** The longest wait before answering a failed attempt. */
    static final long MAX_DELAY_MS = 30_000;
    /** A client's failed attempts are forgotten this long after its last one. */
    static final long FORGET_AFTER_MS = 15 * 60_000;
    /** Clients whose failures are remembered; the least recent are forgotten first. */
    static final int MAX_CLIENTS = 4096;
    static final String REALM = "CamRelay";

    private final boolean loopbackOnly;
    private final Set<String> allowedHosts;
    private final byte[] userDigest;
    private final byte[] passwordDigest;
    private final LongSupplier clockMillis;
    /** Per client address: consecutive failures and when the last one was. */
    private final Map<String, long[]> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    /**
     * @param loopbackOnly the server is bound to a loopback address: refuse requests for other host names
     * @param allowedHosts further host names accepted on a loopback binding (lower case, without port)
     * @param user         the user name, or null when no credentials are set
     * @param password     the password as configured (no trimming), or null
     */
    StatusAccess(boolean loopbackOnly, Set<String> allowedHosts, String user, String password, LongSupplier clockMillis) {
        this.loopbackOnly = loopbackOnly;
        this.allowedHosts = Set.copyOf(allowedHosts);
        this.userDigest = user == null ? null : sha256(user);
        this.passwordDigest = password == null ? null : sha256(password);
        this.clockMillis = clockMillis;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String host = request.getHeader("Host");
        if (host == null && request.authority() != null) {
            host = request.authority().toString(); // HTTP/2 carries it as :authority
        }
        if (loopbackOnly && host != null && !acceptedHost(host)) {
            ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .putHeader("Cache-Control", "no-store")
                    .end("Host '" + printable(host) + "' is not a loopback name: open the status page as "
                            + "http://127.0.0.1:" + request.localAddress().port() + "/ (a name of this machine's own "
                            + "proxy can be added to camrelay.status.allowed-hosts)\n");
            return;
        }
        if (userDigest == null) {
            ctx.next();
            return;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            challenge(ctx); // the usual first request of a browser: not a failed attempt
            return;
        }
        String client = client(request);
        if (matches(authorization.substring(6).strip())) {
            succeeded(client);
            ctx.next();
            return;
        }
        long delay = failed(client);
        ctx.vertx().setTimer(delay, id -> {
            if (!ctx.response().closed() && !ctx.response().ended()) {
                challenge(ctx);
            }
        });
    }

    /** Records a failed attempt of {@code client}; returns how long to wait before answering it. */
    synchronized long failed(String client) {
        long now = clockMillis.getAsLong();
        long[] f = failures.get(client);
        if (f == null || now - f[1] > FORGET_AFTER_MS) {
            f = new long[2];
            failures.put(client, f);
        }
        f[0]++;
        f[1] = now;
        return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS << Math.min(f[0] - 1, 20));
    }

    private synchronized void succeeded(String client) {
        failures.remove(client);
    }

    /** Compares the credentials of a Basic header value with the configured ones, in time independent of them. */
    private boolean matches(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        boolean user = MessageDigest.isEqual(sha256(decoded.substring(0, colon)), userDigest);
        boolean password = MessageDigest.isEqual(sha256(decoded.substring(colon + 1)), passwordDigest);
        return user & password;
    }

    private boolean acceptedHost(String hostHeader) {
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(1, end);
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        return StatusServerGuard.isLoopback(host) || allowedHosts.contains(host);
    }

    private static void challenge(RoutingContext ctx) {
        ctx.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"")
                .putHeader("Content-Type", "text/plain; charset=utf-8").putHeader("Cache-Control", "no-store")
                .end("credentials required (camrelay.status.username / camrelay.status.password)\n");
    }

    private static String client(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null ? "?" : String.valueOf(remote.hostAddress());
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7E…]", "?").replace("'", "?");
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
