package io.camrelay.media;

/**
 * Thrown by every parser in this package when its input is malformed. Parsers throw this type (or a subclass)
 * and nothing else, whatever the input.
 */
public class MediaFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MediaFormatException(String message) {
        super(message);
    }

    public MediaFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
