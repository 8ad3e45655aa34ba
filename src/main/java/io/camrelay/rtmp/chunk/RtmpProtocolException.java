package io.camrelay.rtmp.chunk;

import io.netty.handler.codec.DecoderException;

/** An RTMP peer broke a framing rule or a limit; the connection is closed, never resynchronised. */
public class RtmpProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    public RtmpProtocolException(String message) {
        super(message);
    }
}
