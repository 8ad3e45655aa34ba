package io.camrelay.simulator;

/** A failure the simulated ImageServer can be told to show on one camera's sessions ({@link ImageServerSimulator#inject}). */
public enum Fault {
    /** Close the socket of every open session of the camera. */
    DROP,
    /** Stop sending anything (frames and status) while keeping the socket open. */
    STALL,
    /** Send random bytes that are not ImageServer protocol. */
    GARBAGE,
    /** Send an ImageResponse whose body is shorter than its Content-length, followed by more data. */
    TRUNCATED_FRAME,
    /**
     * On the open sessions only: send livepackages saying the camera lost its recorder (status item 5 = 1) and no
     * more frames. {@link ImageServerSimulator#setCameraConnected} disconnects the camera itself, new sessions too.
     */
    CAMERA_DISCONNECTED,
    /** Refuse the camera's next {@code connect} with "Security token invalid", whatever its token. */
    WRONG_TOKEN
}
