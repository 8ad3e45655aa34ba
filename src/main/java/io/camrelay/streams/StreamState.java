package io.camrelay.streams;

/** The state of a stream or of one destination (docs/design.md §6). */
public enum StreamState {
    /** Connecting, or waiting for the first key frame. */
    STARTING,
    /** Video flows to every enabled destination. */
    STREAMING,
    /**
     * The camera side is lost (docs/design.md §7a): the destinations keep their publish and send the hold picture and
     * silence on the stream's continuous timeline until the camera returns or {@code hold.maxDuration} passes.
     */
    HOLDING,
    /** A connection was lost; the component reconnects with back-off. */
    RECONNECTING,
    /** Cannot run; {@code lastError} says what and how to fix it. */
    ERROR,
    /** The definition is disabled: no route. */
    DISABLED,
    /** Outside its schedule: nothing published, no ImageServer session; {@code nextStart} says when it starts. */
    SCHEDULED,
    /** Another cluster node owns it ({@code owner}): this node keeps it ready, publishes nothing. */
    STANDBY,
    /** Stopped (removed, or the application is stopping). */
    STOPPED;

    /** Worse states rank higher: a stream shows the worst of its destinations. */
    int severity() {
        return switch (this) {
            case STREAMING, DISABLED, SCHEDULED, STANDBY -> 0;
            case STOPPED -> 1;
            case STARTING -> 2;
            case HOLDING -> 3;
            case RECONNECTING -> 4;
            case ERROR -> 5;
        };
    }
}
