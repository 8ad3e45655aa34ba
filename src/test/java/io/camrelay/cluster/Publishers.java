package io.camrelay.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Who publishes which stream, over time: every start and stop, and each moment two nodes published one stream. */
final class Publishers {

    private final Map<String, String> current = new HashMap<>();
    private final Map<String, Integer> starts = new HashMap<>();
    private final List<String> overlaps = new ArrayList<>();
    private final Map<String, Long> lastStart = new HashMap<>();
    private final List<String> history = new ArrayList<>();
    private final long origin = System.nanoTime();

    synchronized void started(String stream, String node) {
        String other = current.get(stream);
        if (other != null && !other.equals(node)) {
            overlaps.add(stream + " on " + other + " and " + node);
        }
        current.put(stream, node);
        history.add(at() + " " + stream + " started on " + node);
        starts.merge(stream, 1, Integer::sum);
        lastStart.put(stream, System.nanoTime());
    }

    synchronized void stopped(String stream, String node) {
        if (node.equals(current.get(stream))) {
            current.remove(stream);
            history.add(at() + " " + stream + " stopped on " + node);
        }
    }

    /** Streams run by each node now. */
    synchronized Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        current.values().forEach(n -> counts.merge(n, 1, Integer::sum));
        return counts;
    }

    synchronized Map<String, String> owners() {
        return new TreeMap<>(current);
    }

    synchronized int starts(String stream) {
        return starts.getOrDefault(stream, 0);
    }

    /** Every start and stop of {@code stream} so far, with the milliseconds since this record began. */
    synchronized List<String> history(String stream) {
        return history.stream().filter(h -> h.contains(" " + stream + " ")).toList();
    }

    private String at() {
        return "+" + (System.nanoTime() - origin) / 1_000_000 + " ms";
    }

    synchronized List<String> overlaps() {
        return List.copyOf(overlaps);
    }
}
