package io.camrelay.media;

/** Thrown by {@link Amf0Reader} when AMF0 input is malformed or exceeds a limit. */
public class Amf0FormatException extends MediaFormatException {
    private static final long serialVersionUID = 1L;

    public Amf0FormatException(String message) {
        super(message);
    }
}
