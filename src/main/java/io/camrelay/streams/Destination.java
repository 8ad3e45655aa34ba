package io.camrelay.streams;

import io.camrelay.support.Secrets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a stream is published, as its definition says (docs/design.md "Streams file"): a URL such as
 * {@code rtmps://a.rtmps.youtube.com/live2/KEY}, or a local file path. Which {@link DestinationType} handles it, and
 * whether it is valid, is the {@link DestinationTypes}' call. The URL holds the stream key, so {@link #toString()}
 * masks it.
 *
 * @param url                        a URL with the key, or a file path
 * @param allowUntrustedCertificates accept a self-signed certificate of a TLS server
 * @param maxSize                    a file destination starts a new file past this many bytes; 0: no limit
 * @param maxDuration                a file destination starts a new file after this much media time; null: none
 */
public record Destination(String url, boolean allowUntrustedCertificates, long maxSize, Duration maxDuration) {

    /** The scheme of a destination written as a path. */
    public static final String FILE_SCHEME = "file";
    /** A URL scheme such as {@code rtmps://}, which makes a value a URL rather than a file path. */
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");

    public Destination {
        Objects.requireNonNull(url, "url");
        if (url.isBlank()) {
            throw new IllegalArgumentException("the destination URL is empty");
        }
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must not be negative, got " + maxSize);
        }
        if (maxDuration != null && (maxDuration.isNegative() || maxDuration.isZero())) {
            throw new IllegalArgumentException("maxDuration must be positive, got " + maxDuration);
        }
    }

    /** A destination without file limits. */
    public Destination(String url, boolean allowUntrustedCertificates) {
        this(url, allowUntrustedCertificates, 0, null);
    }

    /** The URL's scheme in lower case ({@code rtmps}), or {@value #FILE_SCHEME} for a path without one. */
    public String scheme() {
        Matcher m = SCHEME.matcher(url);
        return m.lookingAt() ? m.group(1).toLowerCase(Locale.ROOT) : FILE_SCHEME;
    }

    /** True for a local file, false for a server. */
    public boolean isFile() {
        return FILE_SCHEME.equals(scheme());
    }

    /** The URL with the stream key masked, for status, logs and metrics. */
    public String maskedUrl() {
        return Secrets.maskDestination(url);
    }

    @Override
    public String toString() {
        return "Destination[url=" + maskedUrl() + ", allowUntrustedCertificates=" + allowUntrustedCertificates
                + (maxSize > 0 ? ", maxSize=" + maxSize : "") + (maxDuration != null ? ", maxDuration=" + maxDuration : "")
                + "]";
    }
}
