package io.camrelay.streams;

import io.camrelay.media.FlvTag;
import java.util.List;

/**
 * One destination of a running stream, opened by its {@link DestinationType}: it receives every picture's FLV tags
 * (with silent audio) and reports its state and counters to its {@link DestinationTracker}. Its calls come from the
 * stream route's thread, one at a time; none of them may block on the network or the disk.
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
}
