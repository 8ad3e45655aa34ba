package io.camrelay.rtmp.handshake;

/** User event fired once S2 has arrived: the connection is ready for chunked messages. */
public enum RtmpHandshakeCompleted {
    INSTANCE
}
