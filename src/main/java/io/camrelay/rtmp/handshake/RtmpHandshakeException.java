package io.camrelay.rtmp.handshake;

import io.netty.handler.codec.DecoderException;

/** The RTMP handshake failed: wrong version from the server, or no answer in time. */
public class RtmpHandshakeException extends DecoderException {
    private static final long serialVersionUID = 1L;

    public RtmpHandshakeException(String message) {
        super(message);
    }
}
