package io.camrelay.rtmp.client;

/**
 * Told, on the publisher's event loop, how long each video frame that came with a receive time took from being
 * received (upstream, e.g. from the ImageServer) to being flushed to the RTMP socket. Called once per frame; must not
 * block, allocate heavily or log.
 */
@FunctionalInterface
public interface FrameLatencyListener {

    /**
     * @param latencyNanos    receive → socket write, ns
     * @param firstOfPublish  the first frame (a key frame) of a publish: its latency includes waiting for the server
     *                        to accept the publish, i.e. the start-up time
     */
    void written(long latencyNanos, boolean firstOfPublish);
}
