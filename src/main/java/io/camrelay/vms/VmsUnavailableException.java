package io.camrelay.vms;

import java.time.Duration;

/**
 * The VMS could not be reached or answered in a way CamRelay cannot use (timeout, refused connection, server error,
 * malformed reply). The message names the URL (without secrets); the session retries with a back-off.
 */
public class VmsUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Duration retryIn;

    public VmsUnavailableException(String message, Throwable cause) {
        this(message, cause, null);
    }

    public VmsUnavailableException(String message, Throwable cause, Duration retryIn) {
        super(message, cause);
        this.retryIn = retryIn;
    }

    /** When the session tries again by itself, or null when it only tries on the next request. */
    public Duration retryIn() {
        return retryIn;
    }
}
