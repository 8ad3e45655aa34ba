package io.camrelay.vms;

import java.time.Duration;

/**
 * XProtect refused the configured credentials. The session backs off for minutes before it asks again, so the
 * account is never locked out (docs/design.md §7); {@link #retryIn()} says when.
 */
public class VmsAuthenticationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Duration retryIn;

    public VmsAuthenticationException(String message, Duration retryIn) {
        super(message);
        this.retryIn = retryIn;
    }

    /** How long the session waits before it sends the credentials again. */
    public Duration retryIn() {
        return retryIn;
    }
}
