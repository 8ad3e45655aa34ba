package io.camrelay.rtmp.client;

import java.time.Instant;

/**
 * A snapshot of one destination's state and counters.
 *
 * @param destination   the destination with the key masked
 * @param state         current state
 * @param since         when the state was entered
 * @param lastError     what went wrong last (key masked, with the fix when known), or null
 * @param framesSent    audio and video frames written to the connection
 * @param bytesSent     message bytes written (FLV bodies, metadata, sequence headers)
 * @param framesDropped frames dropped: back-pressure, or waiting for a key frame after a (re)publish
 * @param reconnects    connection attempts after the first
 * @param queuedMillis  media time waiting in the queue
 * @param queuedBytes   bytes waiting in the queue
 * @param publishes     publishes the server accepted ({@code NetStream.Publish.Start}), rotations included
 */
public record RtmpPublisherStats(String destination, RtmpPublisherState state, Instant since, String lastError,
        long framesSent, long bytesSent, long framesDropped, long reconnects, long queuedMillis, long queuedBytes,
        long publishes) {
}
