package io.camrelay.streams;

import io.camrelay.media.FlvTag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A destination type for tests ({@code test://<name>}) whose sinks record what they get: every tag, start and stop,
 * the rotation period; each opened sink is kept in {@link #sinks}. Reports STREAMING on the first tag, STOPPED on
 * stop, and counts a publish per start.
 */
final class RecordingDestinationType implements DestinationType {

    static final String SCHEME = "test://";

    /** Every sink opened, in order. */
    final List<Sink> sinks = new CopyOnWriteArrayList<>();

    @Override
    public boolean accepts(String url) {
        return url.startsWith(SCHEME);
    }

    @Override
    public String problemWith(String url) {
        return null;
    }

    @Override
    public String describe() {
        return "a " + SCHEME + " URL";
    }

    @Override
    public boolean usesTls(String url) {
        return false;
    }

    @Override
    public DestinationSink open(DestinationContext context) {
        Sink s = new Sink(context);
        sinks.add(s);
        return s;
    }

    /** The sinks opened for {@code url}. */
    List<Sink> sinksOf(String url) {
        return sinks.stream().filter(s -> s.context.destination().url().equals(url)).toList();
    }

    /** One recorded sink. */
    static final class Sink implements DestinationSink {
        final DestinationContext context;
        final List<FlvTag> tags = new CopyOnWriteArrayList<>();
        volatile boolean started;
        volatile boolean stopped;
        volatile Duration rotate;

        Sink(DestinationContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            started = true;
            context.status().onPublished();
            context.status().state(StreamState.STARTING, null);
        }

        @Override
        public void send(List<FlvTag> sent, long receiveNanos) {
            if (stopped) {
                throw new IllegalStateException("sent to after stop");
            }
            tags.addAll(sent);
            if (context.status().state() == StreamState.STARTING) {
                context.status().state(StreamState.STREAMING, null);
            }
        }

        @Override
        public void stop() {
            stopped = true;
            context.status().state(StreamState.STOPPED, null);
        }

        @Override
        public void rotateEvery(Duration period) {
            rotate = period;
        }

        /** The tags of {@code type} received so far. */
        List<FlvTag> tags(io.camrelay.media.FlvTagType type) {
            List<FlvTag> out = new ArrayList<>();
            for (FlvTag t : tags) {
                if (t.type() == type) {
                    out.add(t);
                }
            }
            return out;
        }
    }
}
