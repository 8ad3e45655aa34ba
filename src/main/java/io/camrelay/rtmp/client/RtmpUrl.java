package io.camrelay.rtmp.client;

import io.camrelay.support.Secrets;
import java.util.Locale;
import java.util.Objects;

/**
 * Where to publish: server, application and stream key, split as docs/protocols.md A3 tables it. One URL is split at the
 * last '/' of its path (app = everything before, key = the last segment plus any query, as FFmpeg does for nested
 * apps and as Facebook keys with {@code ?s_bl=...} need); a server URL with a separate key is taken as OBS does
 * (app = the whole path and query, tcUrl = the server URL as given). The key is a secret: {@link #toString()} and
 * {@link #masked()} print {@code ****} in its place, and {@link #scrub(String)} removes it from any text.
 *
 * @param secure    rtmps (RTMP inside TLS)
 * @param host      host name or address
 * @param port      TCP port
 * @param app       the application ({@code connect}'s app), without leading '/'
 * @param streamKey the publish name, never empty
 * @param tcUrl     the {@code connect} command's tcUrl
 */
public record RtmpUrl(boolean secure, String host, int port, String app, String streamKey, String tcUrl) {

    /** docs/protocols.md A3: rtmp's default port. */
    public static final int DEFAULT_RTMP_PORT = 1935;
    /** docs/protocols.md A3: rtmps's default port (FFmpeg, librtmp, gortmplib). */
    public static final int DEFAULT_RTMPS_PORT = 443;

    private static final String EXPECTED = "expected rtmp[s]://host[:port]/app/streamKey, or a server URL "
            + "rtmp[s]://host[:port]/app with the key in the streamKey option";

    public RtmpUrl {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(tcUrl, "tcUrl");
        if (streamKey == null || streamKey.isEmpty()) {
            throw new IllegalArgumentException("stream key must not be empty");
        }
    }

    /** Splits one destination URL {@code rtmp[s]://host[:port]/app[/more]/key[?query]}. */
    public static RtmpUrl parse(String url) {
        Server s = server(url);
        String path = s.pathAndQuery;
        int query = path.indexOf('?');
        int slash = path.lastIndexOf('/', query < 0 ? path.length() : query);
        if (slash <= 0 || slash == path.length() - 1 || (query >= 0 && slash == query - 1)) {
            throw new IllegalArgumentException("RTMP URL '" + Secrets.maskDestination(url) + "' has no application and stream key: "
                    + EXPECTED);
        }
        String app = path.substring(0, slash);
        String key = path.substring(slash + 1);
        String tcUrl = (s.secure ? "rtmps" : "rtmp") + "://" + s.hostForUrl() + ":" + s.port + "/" + app;
        return new RtmpUrl(s.secure, s.host, s.port, app, key, tcUrl);
    }

    /** A server URL {@code rtmp[s]://host[:port]/app[?query]} plus a separate stream key, as OBS takes them. */
    public static RtmpUrl parse(String serverUrl, String streamKey) {
        if (streamKey == null || streamKey.isEmpty()) {
            return parse(serverUrl);
        }
        Server s = server(serverUrl);
        String app = s.pathAndQuery;
        while (app.endsWith("/")) {
            app = app.substring(0, app.length() - 1);
        }
        if (app.isEmpty()) {
            throw new IllegalArgumentException("RTMP server URL '" + Secrets.maskDestination(serverUrl) + "' has no application path: "
                    + EXPECTED);
        }
        String tcUrl = serverUrl.trim();
        while (tcUrl.endsWith("/")) {
            tcUrl = tcUrl.substring(0, tcUrl.length() - 1);
        }
        return new RtmpUrl(s.secure, s.host, s.port, app, streamKey, tcUrl);
    }

    /**
     * The destination for humans and the status API: scheme, host, port (when not the default) and app, with the
     * key as {@code ****}, e.g. {@code rtmps://a.rtmps.youtube.com/live2/****}.
     */
    public String masked() {
        boolean defaultPort = port == (secure ? DEFAULT_RTMPS_PORT : DEFAULT_RTMP_PORT);
        return Secrets.maskUrl((secure ? "rtmps" : "rtmp") + "://" + (host.contains(":") ? "[" + host + "]" : host)
                + (defaultPort ? "" : ":" + port) + "/" + app + "/" + streamKey);
    }

    /**
     * The server part as a URL, without the key: {@code rtmps://[2001:db8::1]:443/live2}. IPv6 hosts are bracketed,
     * the port is always written.
     */
    public String serverUrl() {
        return (secure ? "rtmps" : "rtmp") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + app;
    }

    /** {@code text} with every occurrence of the stream key (and its part before any '?') replaced by ****. */
    public String scrub(String text) {
        int q = streamKey.indexOf('?');
        return Secrets.mask(text, streamKey, q > 0 ? streamKey.substring(0, q) : null);
    }

    @Override
    public String toString() {
        return masked();
    }

    private record Server(boolean secure, String host, int port, String pathAndQuery) {
        String hostForUrl() {
            return host.contains(":") ? "[" + host + "]" : host;
        }
    }

    private static Server server(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("RTMP URL is empty: " + EXPECTED);
        }
        String u = url.trim();
        int sep = u.indexOf("://");
        String scheme = sep < 0 ? "" : u.substring(0, sep).toLowerCase(Locale.ROOT);
        boolean secure;
        if (scheme.equals("rtmp")) {
            secure = false;
        } else if (scheme.equals("rtmps")) {
            secure = true;
        } else {
            throw new IllegalArgumentException("unsupported scheme '" + (sep < 0 ? u.split("/", 2)[0] : scheme)
                    + "' in RTMP URL '" + Secrets.maskDestination(u) + "': " + EXPECTED);
        }
        String rest = u.substring(sep + 3);
        int pathStart = indexOfAny(rest, "/?");
        // an IPv6 literal's brackets may come percent-encoded: Camel encodes them when it normalises an endpoint URI
        String authority = (pathStart < 0 ? rest : rest.substring(0, pathStart)).replaceAll("(?i)%5B", "[")
                .replaceAll("(?i)%5D", "]");
        String pathAndQuery = pathStart < 0 ? "" : rest.substring(pathStart);
        if (pathAndQuery.startsWith("/")) {
            pathAndQuery = pathAndQuery.substring(1);
        }
        if (authority.contains("@")) {
            throw new IllegalArgumentException("RTMP URL '" + Secrets.maskDestination(u) + "' contains user information ('user@'), "
                    + "which RTMP does not use: remove it; " + EXPECTED);
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("RTMP URL '" + Secrets.maskDestination(u) + "' has an unterminated IPv6 address");
            }
            host = authority.substring(1, end);
            if (authority.length() > end + 1) {
                if (authority.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("RTMP URL '" + Secrets.maskDestination(u) + "' has junk after the host");
                }
                portText = authority.substring(end + 2);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("RTMP URL '" + Secrets.maskDestination(u) + "' has no host: " + EXPECTED);
        }
        int port = secure ? DEFAULT_RTMPS_PORT : DEFAULT_RTMP_PORT;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid port '" + portText + "' in RTMP URL '" + Secrets.maskDestination(u)
                        + "' (expected 1..65535)");
            }
        }
        return new Server(secure, host, port, pathAndQuery);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
