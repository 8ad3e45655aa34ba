package io.camrelay.xprotect;

import java.net.URI;

/** The one masking function of this package for passwords, tokens and stream keys (architecture.md §8). */
final class Secrets {

    /** What a secret is replaced with. */
    static final String MASK = "****";

    private Secrets() {
    }

    /** {@code text} with every occurrence of each non-blank secret replaced by {@link #MASK}. */
    static String mask(String text, String... secrets) {
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

    /** A URL without user info or query (where keys and tokens travel). */
    static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url.trim());
            String s = url.trim();
            if (uri.getRawUserInfo() != null) {
                s = s.replace(uri.getRawUserInfo() + "@", MASK + "@");
            }
            if (uri.getRawQuery() != null) {
                s = s.replace("?" + uri.getRawQuery(), "?" + MASK);
            }
            return s;
        } catch (IllegalArgumentException e) {
            return "<malformed URL>";
        }
    }

    /**
     * An RTMP URL with its stream key (the last path segment) masked, e.g. {@code rtmps://host/live2/****}, as the
     * status contract shows destinations (architecture.md §6).
     */
    static String maskStreamUrl(String rtmpUrl) {
        if (rtmpUrl == null) {
            return null;
        }
        String s = maskUrl(rtmpUrl);
        int schemeEnd = s.indexOf("://");
        int lastSlash = s.lastIndexOf('/');
        int firstPathSlash = schemeEnd < 0 ? -1 : s.indexOf('/', schemeEnd + 3);
        if (lastSlash > firstPathSlash && firstPathSlash > 0 && lastSlash < s.length() - 1) {
            return s.substring(0, lastSlash + 1) + MASK;
        }
        return s;
    }
}
