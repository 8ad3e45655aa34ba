package io.camrelay.imageserver.session;

/** States of an ImageServer live session, named as the stream states of docs/design.md §6. */
public enum ImageServerSessionState {
    /** Connecting to the recorder, waiting for the first picture. */
    STARTING,
    /** Pictures arrive. */
    STREAMING,
    /** The session was lost; a new one is attempted after a back-off. */
    RECONNECTING,
    /** Something only the operator can fix (unknown camera, JPEG stream); retried after a long back-off. */
    ERROR,
    /** Stopped on request. */
    STOPPED
}
