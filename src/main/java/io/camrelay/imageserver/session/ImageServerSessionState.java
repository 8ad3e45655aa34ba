package io.camrelay.imageserver.session;

/** States of an ImageServer live session, named as the stream states of docs/design.md §6. */
public enum ImageServerSessionState {
    /** Connecting to the recorder, waiting for the first picture. */
    STARTING,
    /** Pictures arrive. */
    STREAMING,
    /** The session was lost; a new one is attempted after a back-off. */
    RECONNECTING,
    /**
     * The recorder reports the camera disconnected from it (livepackage status item 5 = 1, docs/protocols.md §1.3):
     * the session stays open and waits for its pictures; shown to operators as reconnecting with that reason.
     */
    CAMERA_DISCONNECTED,
    /** Something only the operator can fix (unknown camera, JPEG stream); retried after a long back-off. */
    ERROR,
    /** Stopped on request. */
    STOPPED
}
