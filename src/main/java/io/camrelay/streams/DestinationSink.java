package io.camrelay.streams;

import io.camrelay.media.FlvTag;
import java.time.Duration;
import java.util.List;

/**
 * One destination of a stream, opened by its {@link DestinationType} for the stream's outputs ({@link StreamOutputs},
 * which outlive the camera side of the route): it receives every picture's FLV tags (with silent audio) on the
 * stream's continuous timeline, hold pictures included, and reports its state and counters to its
 * {@link DestinationTracker}. Its calls come one at a time, from the stream route's thread or the hold timer;
 * {@link #start} and {@link #send} must not block on the network or the disk; {@link #stop} runs on a thread of
 * its own and may wait a bounded time.
 */
public interface DestinationSink {

    /** Starts publishing or recording in the background; throws only when the destination cannot work at all. */
    void start() throws Exception;

    /**
     * Hands over the tags of one picture, returning at once.
     *
     * @param tags         the picture's tags, with sequence headers and silent audio, in timestamp order
     * @param receiveNanos {@link System#nanoTime()} when the picture was received, or {@code Long.MIN_VALUE}
     * @throws Exception when the destination has failed for good; the stream's other destinations carry on
     */
    void send(List<FlvTag> tags, long receiveNanos) throws Exception;

    /** Unpublishes or closes the file; waits a bounded time. */
    void stop() throws Exception;

    /**
     * Republish at a key frame every {@code period} (the streams file's {@code rotate}), or never when null; called
     * after {@link #start} and whenever the setting changes. Destinations without publishes ignore it.
     */
    default void rotateEvery(Duration period) {
    }
}
