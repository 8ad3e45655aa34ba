package io.camrelay.imageserver.codec;

import io.netty.handler.codec.DecoderException;

/** The ImageServer stream broke the protocol framing; the connection is closed, never resynchronised. */
public final class ImageServerProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    public ImageServerProtocolException(String message) {
        super(message);
    }

    public ImageServerProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
