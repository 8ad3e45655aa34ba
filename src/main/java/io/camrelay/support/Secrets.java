package io.camrelay.support;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one masker of CamRelay (docs/design.md "Secrets"): every stream key, password and token that could reach a log,
 * an exception, the status JSON, a metric label, a health detail, an XProtect event or JMX passes through here and
 * comes out as {@value #MASK}.
 *
 * <p>A URL is masked by what its secrets are, not by how well it is formed:
 * <ul>
 *   <li>user info ({@code user:pass@}) is masked whole, for every scheme;</li>
 *   <li>every query value and any fragment are masked ({@code ?s_bl=****&a=****}), for every scheme;</li>
 *   <li>for stream schemes (rtmp, rtmps, srt, any scheme CamRelay does not know, a misspelt {@code rtmpx}) the first
 *       path segment is the application and everything after it is the key ({@code rtmps://host/live2/****}); a
 *       path of one segment may itself be the key ({@code rtmp://host/KEY}) and is masked too;</li>
 *   <li>web and local schemes (http, https, file) keep their path: their secrets travel in the user info and the
 *       query.</li>
 * </ul>
 * A scheme followed by any number of slashes counts ({@code rtmp:/host/live2/KEY}, a typo, is masked like the real
 * thing). Text without a scheme is returned unchanged by {@link #maskUrl}; {@link #maskDestination} also masks a
 * destination written without a scheme, unless it is a local file path.
 */
public final class Secrets {

    /** What a secret is replaced by. */
    public static final String MASK = "****";

    /**
     * A scheme of two or more characters (one letter is a Windows drive: {@code C:/out/a.flv}) and a colon, followed
     * by at least one slash, or by anything for rtmp-like schemes.
     */
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):");
    /**
     * A URL inside free text: such a scheme, then everything up to white space, a quote or a bracket (but an IPv6
     * literal's brackets belong to the URL).
     */
    private static final Pattern URL_IN_TEXT = Pattern.compile(
            "(?i)(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]+:(?:/+|(?<=rtmp[a-z]{0,2}:))"
                    + "(?:\\[[0-9a-f:.%]*\\]|[^\\s\"'\\\\<>()\\[\\]{}])*");
    /**
     * Schemes whose path is no secret (web and local resources: their secrets travel in the user info and the query);
     * every other scheme's path holds a key after the application.
     */
    private static final Set<String> PATH_KEEPING_SCHEMES = Set.of("http", "https", "ws", "wss", "file", "jar",
            "classpath");
    /** A local recording: a path ending in .flv (or .mp4) without a scheme is not a secret. */
    private static final Pattern LOCAL_FILE = Pattern.compile("(?i).*\\.(flv|mp4)$");

    private Secrets() {
    }

    /**
     * {@code url} with its secrets masked (see the class comment); {@code null} stays {@code null}, text without a
     * scheme is returned as it is.
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        Matcher scheme = SCHEME.matcher(url);
        if (!hasScheme(url, scheme)) {
            return url;
        }
        return mask(url, scheme, !PATH_KEEPING_SCHEMES.contains(scheme.group(1).toLowerCase(Locale.ROOT)));
    }

    private static String mask(String url, Matcher scheme, boolean keyInPath) {
        int i = scheme.end();
        StringBuilder out = new StringBuilder(url.length());
        out.append(url, 0, i);
        int slashes = i;
        while (slashes < url.length() && url.charAt(slashes) == '/') {
            slashes++;
        }
        out.append(url, i, slashes);
        String rest = url.substring(slashes);
        int fragment = rest.indexOf('#');
        String beforeFragment = fragment < 0 ? rest : rest.substring(0, fragment);
        int query = beforeFragment.indexOf('?');
        String beforeQuery = query < 0 ? beforeFragment : beforeFragment.substring(0, query);
        int pathStart = beforeQuery.indexOf('/');
        String authority = pathStart < 0 ? beforeQuery : beforeQuery.substring(0, pathStart);
        String path = pathStart < 0 ? "" : beforeQuery.substring(pathStart);
        int at = authority.lastIndexOf('@');
        out.append(at < 0 ? authority : MASK + authority.substring(at));
        out.append(keyInPath ? maskStreamPath(path) : path);
        if (query >= 0) {
            out.append('?').append(maskQuery(beforeFragment.substring(query + 1)));
        }
        if (fragment >= 0) {
            out.append('#').append(MASK);
        }
        return out.toString();
    }

    /** Every URL found in {@code text} (error messages of components and peers, log lines) masked by {@link #maskUrl}. */
    public static String maskUrlsIn(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = URL_IN_TEXT.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            m.appendReplacement(out, Matcher.quoteReplacement(maskUrl(m.group())));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A destination as an operator wrote it, for messages about it. A destination's path holds a key whatever its
     * scheme (an {@code http://h/live2/KEY} typed by mistake must not reveal it), so any URL is masked by the stream
     * rule; a local file path ({@code output/lobby.flv}) is kept; anything else (a URL whose scheme was forgotten,
     * {@code a.rtmp.youtube.com/live2/KEY}) keeps its first segment only.
     */
    public static String maskDestination(String destination) {
        if (destination == null) {
            return null;
        }
        String d = destination.strip();
        Matcher scheme = SCHEME.matcher(d);
        if (hasScheme(d, scheme)) {
            return mask(d, scheme, true);
        }
        if (LOCAL_FILE.matcher(d).matches() && d.indexOf('?') < 0 && d.indexOf('#') < 0) {
            return d;
        }
        if (d.isEmpty()) {
            return d;
        }
        int slash = d.indexOf('/');
        return slash < 0 ? MASK : d.substring(0, slash + 1) + MASK;
    }

    /** {@code text} with every occurrence of each non-blank secret (a password, a token, a key) replaced by MASK. */
    public static String mask(String text, String... secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            if (s != null && !s.isBlank()) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /** The message of {@code e} (or its type when it has none) with every URL in it masked. */
    public static String messageOf(Throwable e) {
        if (e == null) {
            return null;
        }
        return maskUrlsIn(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** Whether {@code text} starts with a scheme: a colon and a slash after it, or any rtmp-like scheme. */
    private static boolean hasScheme(String text, Matcher scheme) {
        if (!scheme.lookingAt()) {
            return false;
        }
        int end = scheme.end();
        return (end < text.length() && text.charAt(end) == '/')
                || scheme.group(1).toLowerCase(Locale.ROOT).startsWith("rtmp");
    }

    /**
     * The message of the deepest cause of {@code e} (what actually went wrong; wrappers only repeat it), or its type
     * when it has none, with every URL in it masked.
     */
    public static String rootMessage(Throwable e) {
        return messageOf(Causes.deepest(e));
    }

    /** The first segment is the application; whatever follows, and a lone segment, is the key. */
    private static String maskStreamPath(String path) {
        if (path.isEmpty() || path.equals("/")) {
            return path;
        }
        int second = path.indexOf('/', 1);
        if (second < 0) {
            return "/" + MASK;
        }
        return path.substring(0, second + 1) + MASK;
    }

    private static String maskQuery(String query) {
        if (query.isEmpty()) {
            return query;
        }
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            out.append(eq < 0 ? MASK : pair.substring(0, eq + 1) + MASK);
        }
        return out.toString();
    }
}
