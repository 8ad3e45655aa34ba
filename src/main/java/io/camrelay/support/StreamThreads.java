package io.camrelay.support;

import java.util.ArrayList;
import java.util.List;

/**
 * Which thread of a shared set serves a stream (docs/performance.md, round two: "one event loop per stream"). When
 * the application binds a shared event loop group under {@link #BEAN_NAME}, a stream's ImageServer session and its
 * RTMP connections run on the same loop of it, chosen here from the stream id, so the route's last step writes each
 * picture to the socket on the thread that read it instead of queueing it for another loop (the wait behind that
 * loop's other work was the relay's p99 latency). Without the bean each component uses its own loops.
 */
public final class StreamThreads {

    /** The name of the shared event loop group in the Camel registry. */
    public static final String BEAN_NAME = "camrelayStreamEventLoops";
    /** How a stream route's id begins ({@code stream-<id>}). */
    public static final String ROUTE_ID_PREFIX = "stream-";

    private StreamThreads() {
    }

    /** The stream id of the stream route {@code routeId}, or null for any other route (or none). */
    public static String streamIdOfRoute(String routeId) {
        return routeId != null && routeId.startsWith(ROUTE_ID_PREFIX) && routeId.length() > ROUTE_ID_PREFIX.length()
                ? routeId.substring(ROUTE_ID_PREFIX.length()) : null;
    }

    /** The one of {@code threads} (e.g. a Netty event loop group) that serves stream {@code streamId}. */
    public static <T> T forStream(Iterable<T> threads, String streamId) {
        List<T> all = new ArrayList<>();
        threads.forEach(all::add);
        return forStream(all, streamId);
    }

    /** The one of {@code threads} that serves stream {@code streamId}: always the same for the same id. */
    public static <T> T forStream(List<T> threads, String streamId) {
        if (threads.isEmpty()) {
            throw new IllegalArgumentException("no threads to choose from");
        }
        return threads.get(Math.floorMod(streamId.hashCode(), threads.size()));
    }
}
