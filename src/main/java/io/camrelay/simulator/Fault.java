package io.camrelay.simulator;

/**
 * A failure the simulated ImageServer can be told to show on one camera's sessions ({@link ImageServerSimulator#inject}).
 * The picture faults ({@link #CORRUPT_PICTURES}, {@link #FOREIGN_PACKETS}, {@link #MULTI_PACKET}) last, also across
 * reconnects, until {@link ImageServerSimulator#clearFaults}; a recorder or VMS that is down for a while is
 * {@link ImageServerSimulator#downFor} and {@link XProtectSimulator#downFor}.
 */
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
    WRONG_TOKEN,
    /**
     * Every 2 s of pictures, send one that no H.264 parser accepts, in the middle of a picture group: in turn a
     * truncated slice, a slice referring to an unknown PPS id, and a slice header value out of range.
     */
    CORRUPT_PICTURES,
    /** Every second, send a GenericByteData audio packet (0x0020) and a metadata packet (0x0030) between pictures. */
    FOREIGN_PACKETS,
    /** Send every picture inside the multi-packet wrapper (0xFEF0), after a metadata packet. */
    MULTI_PACKET,
    /** Send the next picture declaring the H.265 codec (0x000E): a camera whose codec changed while streaming. */
    CODEC_CHANGE
}
