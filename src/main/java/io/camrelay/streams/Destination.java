package io.camrelay.streams;

import io.camrelay.support.Secrets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a stream is published: an rtmp:// or rtmps:// URL, or a local FLV file path (architecture.md §5). The URL holds
 * the stream key, so {@link #toString()} masks it.
 *
 * @param url                        an rtmp[s] URL with the key, or a path ending in {@code .flv}
 * @param allowUntrustedCertificates accept a self-signed certificate of an rtmps server
 */
public record Destination(String url, boolean allowUntrustedCertificates) {

    /** The URL rule of the RTMP Streamer plugin: an rtmp or rtmps URL without white space, quotes or backslashes. */
    static final Pattern RTMP_URL = Pattern.compile("^rtmps?://[^\\s\"\\\\]+$");
    /** A URL scheme such as {@code http://}, which makes a value a URL rather than a file path. */
    private static final Pattern ANY_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    /** The file name ending of a local FLV destination. */
    static final String FLV_SUFFIX = ".flv";

    public Destination {
        Objects.requireNonNull(url, "url");
        String problem = problemWith(url);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Why {@code url} is not a destination, or {@code null} when it is one. The message masks the key and names the
     * expected forms.
     */
    static String problemWith(String url) {
        if (url.isBlank()) {
            return "the destination URL is empty: expected an rtmp://, rtmps:// URL or a .flv file path";
        }
        String lower = url.toLowerCase(Locale.ROOT);
        boolean rtmp = lower.startsWith("rtmp://") || lower.startsWith("rtmps://");
        if (rtmp) {
            if (!RTMP_URL.matcher(lower).matches()) {
                return "'" + Secrets.maskDestination(url) + "' is not a valid rtmp URL: it must not contain spaces, quotes"
                        + " or backslashes";
            }
            String rest = url.substring(url.indexOf("://") + 3);
            if (rest.isEmpty() || rest.startsWith("/") || rest.startsWith(":")) {
                return "'" + Secrets.maskDestination(url) + "' has no server name: expected rtmp[s]://host[:port]/app/key";
            }
            return null;
        }
        if (ANY_SCHEME.matcher(url).matches() || !lower.endsWith(FLV_SUFFIX)) {
            return "'" + Secrets.maskDestination(url) + "' is not an rtmp://, rtmps:// URL or a .flv file path";
        }
        return null;
    }

    /** True for a local FLV file, false for an rtmp/rtmps server. */
    public boolean isFile() {
        String lower = url.toLowerCase(Locale.ROOT);
        return !(lower.startsWith("rtmp://") || lower.startsWith("rtmps://"));
    }

    /** The URL with the stream key masked, for status, logs and metrics. */
    public String maskedUrl() {
        return Secrets.maskDestination(url);
    }

    @Override
    public String toString() {
        return "Destination[url=" + maskedUrl() + ", allowUntrustedCertificates=" + allowUntrustedCertificates + "]";
    }
}
