package io.camrelay.media;

/** A GenericByteData packet that is malformed: too short, a wrong data type, or a length that does not add up. */
public class GenericByteDataException extends MediaFormatException {
    private static final long serialVersionUID = 1L;

    public GenericByteDataException(String message) {
        super(message);
    }
}
