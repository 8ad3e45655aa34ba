package io.camrelay.imageserver;

import io.camrelay.imageserver.session.ImageServerSessionState;

/**
 * Observes the ImageServer sessions of {@code xprotect:} consumers (e.g. the status page). Called on a Netty event
 * loop: implementations must return quickly and never block.
 */
@FunctionalInterface
public interface XProtectSessionListener {

    /**
     * A consumer's session changed state, or the reason for its state changed (a further failed attempt while
     * RECONNECTING).
     *
     * @param consumer the consumer (its getters give frames, bytes, reconnects, last error)
     * @param state    the new state
     * @param reason   why (for RECONNECTING and ERROR), else null; never contains a secret
     */
    void stateChanged(XProtectConsumer consumer, ImageServerSessionState state, String reason);
}
