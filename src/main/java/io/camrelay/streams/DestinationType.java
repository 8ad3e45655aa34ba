package io.camrelay.streams;

/**
 * A kind of destination a stream can publish to (rtmp/rtmps, a local FLV file; a live preview or SRT later): it
 * recognises its destinations by their form, checks them, and opens a {@link DestinationSink} for each. The stream
 * route reaches every destination through this interface; {@link DestinationTypes} chooses the type by scheme.
 * Adding a destination kind is one class implementing this plus its registration in the application's wiring
 * (docs/where-to-change-what.md).
 */
public interface DestinationType {

    /** Whether {@code url} (as written in a definition) is this type's, e.g. by its scheme or file ending. */
    boolean accepts(String url);

    /**
     * Why {@code url}, which this type {@link #accepts}, is still not a usable destination, or {@code null} when it
     * is. The message quotes the URL masked ({@code io.camrelay.support.Secrets#maskDestination}) and names the
     * expected form.
     */
    String problemWith(String url);

    /** What this type accepts, for messages: "an rtmp://, rtmps:// URL", "a .flv file path". */
    String describe();

    /** Whether {@code allowUntrustedCertificates} means anything for this type (it speaks TLS). */
    boolean usesTls(String url);

    /**
     * A sink for one destination of one stream. Must not block on the network or the disk: connecting and writing
     * happen in the background once the sink is started.
     */
    DestinationSink open(DestinationContext context);
}
