package io.camrelay.media;

/**
 * An H.264 parameter set or slice header that cannot be parsed: truncated, a value out of its legal range
 * (ITU-T H.264 §7.4), or a reference to a parameter set that was never received.
 */
public final class H264SyntaxException extends MediaFormatException {
    private static final long serialVersionUID = 1L;

    public H264SyntaxException(String message) {
        super(message);
    }
}
