package io.camrelay.streams;

import java.util.Objects;
import org.apache.camel.CamelContext;

/**
 * What a {@link DestinationType} gets to open one destination of one stream.
 *
 * @param streamId    the stream (for logging and the components' MDC)
 * @param destination the destination as defined; its URL may hold a key, never show it unmasked
 * @param status      where the sink reports its state and counters
 * @param camel       the Camel context, for the components the sink uses
 */
public record DestinationContext(String streamId, Destination destination, DestinationTracker status,
                                 CamelContext camel) {
    public DestinationContext {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(camel, "camel");
    }
}
