package io.camrelay.streams;

/**
 * One destination in the status JSON (docs/design.md §6); {@code url} is masked.
 *
 * @param url           destination URL with the key masked
 * @param state         the destination's state
 * @param framesSent    video frames written
 * @param bytesSent     bytes written
 * @param droppedFrames frames dropped by the send queue
 * @param reconnects    republish attempts after a loss
 * @param lastError     the last error, masked, or {@code null}
 */
public record DestinationStatus(String url, StreamState state, long framesSent, long bytesSent, long droppedFrames,
                                long reconnects, String lastError) {
}
