package io.camrelay.media;

/**
 * Thrown by the MP4 writers for FLV input they cannot write: a picture before its AVC sequence header, a video tag of
 * another codec, an audio tag that is not AAC, a malformed decoder configuration, timestamps going backwards. The
 * tag that caused it has changed nothing; the caller may skip it or abort the file.
 */
public final class Mp4FormatException extends MediaFormatException {
    private static final long serialVersionUID = 1L;

    public Mp4FormatException(String message) {
        super(message);
    }

    public Mp4FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
