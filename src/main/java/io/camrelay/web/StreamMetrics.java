package io.camrelay.web;

import io.camrelay.streams.*;
import io.camrelay.support.MeterNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus meters per stream and destination, tagged {@code streamId} and, for destinations, {@code destination}
 * (index) and {@code url} (masked: never a key). The state is one gauge per state with value 1 for the current one
 * ({@code camrelay_stream_state{streamId="lobby",state="STREAMING"} 1}). {@link #sync()} adds meters of new streams and
 * removes those of removed streams; it runs after every registry change.
 */
public final class StreamMetrics {


    private final MeterRegistry meters;
    private final StreamStatusRegistry registry;
    /** Meters by stream id, with the destination set they were made for. */
    private final Map<String, List<Meter>> byStream = new HashMap<>();
    private final Map<String, List<Destination>> shapes = new HashMap<>();

    private StreamMetrics(MeterRegistry meters, StreamStatusRegistry registry) {
        this.meters = meters;
        this.registry = registry;
    }

    /** Creates the meters and keeps them in step with {@code registry}. */
    public static StreamMetrics bind(MeterRegistry meters, StreamStatusRegistry registry) {
        StreamMetrics m = new StreamMetrics(meters, registry);
        registry.addMembershipListener(m::sync);
        m.sync();
        return m;
    }

    /** Adds and removes meters to match the streams in the registry. */
    public synchronized void sync() {
        Set<String> ids = new HashSet<>(registry.ids());
        for (String id : Set.copyOf(byStream.keySet())) {
            StreamTracker t = registry.stream(id);
            List<Destination> now = t == null || t.definition() == null ? List.of() : t.definition().destinations();
            if (!ids.contains(id) || !now.equals(shapes.get(id))) {
                byStream.remove(id).forEach(meters::remove);
                shapes.remove(id);
            }
        }
        for (String id : ids) {
            StreamTracker t = registry.stream(id);
            if (t != null && !byStream.containsKey(id)) {
                shapes.put(id, t.definition() == null ? List.of() : t.definition().destinations());
                byStream.put(id, register(t));
            }
        }
    }

    private List<Meter> register(StreamTracker t) {
        List<Meter> out = new ArrayList<>();
        Tags tags = Tags.of("streamId", t.id());
        for (StreamState s : StreamState.values()) {
            out.add(Gauge.builder("camrelay.stream.state", t, x -> x.currentState() == s ? 1 : 0)
                    .tags(tags.and("state", s.name())).description("1 for the stream's current state")
                    .register(meters));
        }
        out.add(FunctionCounter.builder("camrelay.stream.frames.in", t, x -> x.framesIn()).tags(tags)
                .description("frames received from the camera").register(meters));
        out.add(gauge("camrelay.stream.fps", tags, t, s -> s.fps() == null ? Double.NaN : s.fps()));
        out.add(gauge("camrelay.stream.bitrate.kbps", tags, t,
                s -> s.bitrateKbps() == null ? Double.NaN : s.bitrateKbps()));
        out.add(gauge("camrelay.stream.keyframe.interval.ms", tags, t,
                s -> s.keyframeIntervalMs() == null ? Double.NaN : s.keyframeIntervalMs()));
        out.add(FunctionCounter.builder("camrelay.stream.restarts", t, x -> x.snapshot().restarts()).tags(tags)
                .description("route restarts after errors").register(meters));
        out.add(FunctionCounter.builder("camrelay.stream.source.reconnects", t, StreamTracker::sourceReconnects)
                .tags(tags).description("ImageServer sessions re-established inside the consumer").register(meters));
        out.add(FunctionCounter.builder("camrelay.stream.skipped.pictures", t, StreamTracker::skippedPictures)
                .tags(tags).description("pictures skipped as unreadable or not video").register(meters));
        List<DestinationTracker> dests = t.destinations();
        for (int i = 0; i < dests.size(); i++) {
            DestinationTracker d = dests.get(i);
            Tags dt = tags.and("destination", Integer.toString(i), "url", d.maskedUrl());
            out.add(FunctionCounter.builder("camrelay.destination.frames.sent", d, DestinationTracker::framesSent)
                    .tags(dt).register(meters));
            out.add(FunctionCounter.builder("camrelay.destination.bytes.sent", d, DestinationTracker::bytesSent)
                    .tags(dt).register(meters));
            out.add(FunctionCounter.builder("camrelay.destination.dropped.frames", d,
                    DestinationTracker::droppedFrames).tags(dt).register(meters));
            out.add(FunctionCounter.builder("camrelay.destination.reconnects", d, DestinationTracker::reconnects)
                    .tags(dt).register(meters));
            out.add(FunctionCounter.builder("camrelay.destination.publishes", d, DestinationTracker::publishes)
                    .tags(dt).description("publishes the server accepted (files started)").register(meters));
            for (StreamState s : StreamState.values()) {
                out.add(Gauge.builder("camrelay.destination.state", d, x -> x.state() == s ? 1 : 0)
                        .tags(dt.and("state", s.name())).register(meters));
            }
        }
        return out;
    }

    private Meter gauge(String name, Tags tags, StreamTracker t, ToDoubleFunction<StreamStatus> value) {
        return Gauge.builder(name, t, x -> value.applyAsDouble(x.snapshot())).tags(tags).register(meters);
    }
}
