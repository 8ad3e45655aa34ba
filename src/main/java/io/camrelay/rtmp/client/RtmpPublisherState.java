package io.camrelay.rtmp.client;

/** State of one destination, as the status API reports it (docs/design.md §6). */
public enum RtmpPublisherState {
    /** Connecting, or published and waiting for the first key frame. */
    STARTING,
    /** Media is flowing to the server. */
    STREAMING,
    /** The session was lost; the next attempt is scheduled with back-off. */
    RECONNECTING,
    /** The server refused us (rejected connect or publish, TLS refused); retried with a longer back-off. */
    ERROR,
    /** The producer was stopped. */
    STOPPED
}
