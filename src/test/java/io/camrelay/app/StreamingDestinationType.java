package io.camrelay.app;

import io.camrelay.media.FlvTag;
import io.camrelay.streams.DestinationContext;
import io.camrelay.streams.DestinationSink;
import io.camrelay.streams.DestinationType;
import io.camrelay.streams.StreamState;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A destination type for every URL whose sinks stream at once, take whatever they get and count their stops. */
final class StreamingDestinationType implements DestinationType {

    /** How many sinks were stopped. */
    final AtomicInteger stops = new AtomicInteger();

    @Override
    public boolean accepts(String url) {
        return true;
    }

    @Override
    public String problemWith(String url) {
        return null;
    }

    @Override
    public String describe() {
        return "a destination that streams whatever it gets";
    }

    @Override
    public boolean usesTls(String url) {
        return false;
    }

    @Override
    public DestinationSink open(DestinationContext context) {
        return new DestinationSink() {
            @Override
            public void start() {
                context.status().state(StreamState.STREAMING, null);
            }

            @Override
            public void send(List<FlvTag> tags, long receiveNanos) {
            }

            @Override
            public void stop() {
                stops.incrementAndGet();
            }
        };
    }
}
