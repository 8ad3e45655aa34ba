package io.camrelay.imageserver;

/**
 * A playback of recorded video (mode=playback) was lost: the recorder could not be reached, closed the connection,
 * stopped answering or refused the token. The message names the camera, the cause and the fix. A playback is one
 * attempt: whoever runs it decides whether to run it again.
 */
public class PlaybackFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String cameraId;

    public PlaybackFailedException(String cameraId, String message) {
        super(message);
        this.cameraId = cameraId;
    }

    /** The camera whose recording was being read. */
    public String cameraId() {
        return cameraId;
    }
}
