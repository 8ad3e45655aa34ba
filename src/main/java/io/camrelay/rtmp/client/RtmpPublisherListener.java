package io.camrelay.rtmp.client;

/**
 * Observes a destination: called on every state change and every status interval with a fresh snapshot. Called on
 * the connection's event loop: return quickly, never block.
 */
@FunctionalInterface
public interface RtmpPublisherListener {
    /** The destination's current state and counters. */
    void onStatus(RtmpPublisherStats stats);
}
