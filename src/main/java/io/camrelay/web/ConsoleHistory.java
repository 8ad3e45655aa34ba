package io.camrelay.web;

import io.camrelay.streams.StreamState;
import io.camrelay.streams.StreamStatus;
import io.camrelay.support.Secrets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the console's sparklines and state lists show (architecture §12, docs/design.md §12): per stream the bit rate
 * and frame rate of the last {@value #SAMPLES} samples (one every {@link ConsoleRoutes#SAMPLE_MS} ms, so the last
 * five minutes) and its last {@value #CHANGES} state changes with their messages. In memory only, bounded per stream;
 * a removed stream's history goes with it. Thread-safe.
 */
final class ConsoleHistory {

    /** Samples kept per stream. */
    static final int SAMPLES = 150;
    /** State changes kept per stream. */
    static final int CHANGES = 20;

    /** One sample: when, kbit/s and fps (null while unknown). */
    record Sample(long time, Long kbps, Double fps) {
    }

    /** One state change and the message the stream showed with it (masked). */
    record Change(Instant time, StreamState from, StreamState to, String message) {
    }

    /** A stream's history as the API shows it. */
    record StreamHistory(List<Sample> samples, List<Change> changes) {
    }

    private final Map<String, Deque<Sample>> samples = new LinkedHashMap<>();
    private final Map<String, Deque<Change>> changes = new LinkedHashMap<>();

    /** Records one sample of every stream; forgets the streams no longer listed. */
    synchronized void sample(Collection<StreamStatus> streams, long nowMillis) {
        Set<String> ids = new HashSet<>();
        for (StreamStatus s : streams) {
            ids.add(s.id());
            Deque<Sample> d = samples.computeIfAbsent(s.id(), k -> new ArrayDeque<>(SAMPLES));
            if (d.size() == SAMPLES) {
                d.removeFirst();
            }
            boolean flowing = s.state() == StreamState.STREAMING || s.state() == StreamState.HOLDING
                    || s.state() == StreamState.RECONNECTING;
            d.addLast(new Sample(nowMillis, flowing ? s.bitrateKbps() : null, flowing ? s.fps() : null));
        }
        samples.keySet().retainAll(ids);
        changes.keySet().retainAll(ids);
    }

    /** A state change (the status registry's listener). */
    synchronized void changed(StreamStatus status, StreamState before, Instant now) {
        Deque<Change> d = changes.computeIfAbsent(status.id(), k -> new ArrayDeque<>(CHANGES));
        if (d.size() == CHANGES) {
            d.removeFirst();
        }
        String message = status.lastError();
        if (message == null) {
            message = status.destinations().stream().filter(x -> x.lastError() != null && x.state() != StreamState
                    .STREAMING).map(x -> x.url() + ": " + x.lastError()).findFirst().orElse(null);
        }
        d.addLast(new Change(now, before, status.state(), message == null ? null : Secrets.maskUrlsIn(message)));
    }

    /** Every stream's history, by stream id. */
    synchronized Map<String, StreamHistory> snapshot() {
        Map<String, StreamHistory> out = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>(samples.keySet());
        ids.addAll(changes.keySet());
        for (String id : ids.stream().sorted().toList()) {
            out.put(id, new StreamHistory(new ArrayList<>(samples.getOrDefault(id, new ArrayDeque<>())),
                    new ArrayList<>(changes.getOrDefault(id, new ArrayDeque<>()))));
        }
        return out;
    }
}
