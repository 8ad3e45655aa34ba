package io.camrelay.streams;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one masking function for stream keys in URLs: status JSON, logs, metrics labels, health details and exception
 * messages pass every destination URL through {@link #maskUrl(String)} (architecture.md §8).
 */
public final class Secrets {

    /** What a secret is replaced by (architecture.md §8). */
    public static final String MASK = "****";

    /** An rtmp-like URL (rtmp, rtmps, rtmpt, a misspelt rtmpx) inside free text, up to white space or a quote. */
    private static final Pattern RTMP_URL_IN_TEXT = Pattern.compile("(?i)rtmp[a-z]*://[^\\s\"'\\\\<>]+");
    /** Any URL scheme: a misspelt scheme must not reveal the key either. */
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");

    private Secrets() {
    }

    /**
     * Masks the secret parts of an rtmp/rtmps URL: the last path segment and the query (the stream key, e.g.
     * {@code rtmps://a.rtmps.youtube.com/live2/****}) and the password of any user info. A URL with only an application
     * path ({@code rtmp://host/live}) keeps its path but loses its query. Anything without a scheme (a file
     * path) is returned unchanged. URLs of other schemes are masked the same way, so that a misspelt scheme
     * ({@code rtmpx://}) does not reveal the key in an error message; {@code null} stays {@code null}.
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        Matcher scheme = SCHEME.matcher(url);
        if (!scheme.lookingAt()) {
            return url;
        }
        int schemeEnd = scheme.end();
        int pathStart = url.indexOf('/', schemeEnd);
        int queryStart = url.indexOf('?', schemeEnd);
        if (queryStart >= 0 && (pathStart < 0 || queryStart < pathStart)) {
            pathStart = -1;
        }
        String authority = url.substring(schemeEnd, pathStart >= 0 ? pathStart : queryStart >= 0 ? queryStart : url.length());
        String masked = url.substring(0, schemeEnd) + maskUserInfo(authority);
        if (pathStart < 0) {
            return queryStart >= 0 ? masked + "?" + MASK : masked;
        }
        String path = url.substring(pathStart, queryStart >= 0 ? queryStart : url.length());
        int lastSlash = path.lastIndexOf('/');
        boolean onlyApplication = lastSlash == 0;
        if (onlyApplication) {
            return masked + path + (queryStart >= 0 ? "?" + MASK : "");
        }
        return masked + path.substring(0, lastSlash + 1) + MASK;
    }

    /** Masks every rtmp/rtmps URL found in {@code text} (error messages from components, peers' replies). */
    public static String maskUrlsIn(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = RTMP_URL_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(maskUrl(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String maskUserInfo(String authority) {
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return authority;
        }
        String userInfo = authority.substring(0, at);
        int colon = userInfo.indexOf(':');
        String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
        return user + ":" + MASK + authority.substring(at);
    }
}
