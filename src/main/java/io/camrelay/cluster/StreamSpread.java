package io.camrelay.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which node should stream each stream (docs/cluster.md, "Spread"): the counts of the live nodes differ by at most
 * one, and as few streams as possible move. Every node computes it from what they all see (the live members and each
 * stream's current owner), so they agree without talking. The rules: the nodes that stream most now get the larger
 * shares; each node keeps its streams (sorted by id) up to its share; the rest, with the streams nobody streams, go
 * one by one (sorted by id) to the node furthest below its share (ties: the smaller id). A pure function.
 */
final class StreamSpread {

    private StreamSpread() {
    }

    /**
     * The node each of {@code streams} should be streamed by.
     *
     * @param streams the streams (ids)
     * @param members the live nodes (ids)
     * @param owners  each stream's current owner, if any (owners that are not live members count as none)
     * @return the target node by stream id (empty when there are no members)
     */
    static Map<String, String> plan(Collection<String> streams, Collection<String> members,
                                    Map<String, String> owners) {
        List<String> nodes = new ArrayList<>(new TreeSet<>(members));
        List<String> ids = new ArrayList<>(new TreeSet<>(streams));
        Map<String, String> target = new LinkedHashMap<>();
        if (nodes.isEmpty()) {
            return target;
        }
        Map<String, List<String>> current = new HashMap<>();
        nodes.forEach(n -> current.put(n, new ArrayList<>()));
        for (String id : ids) {
            String owner = owners.get(id);
            if (owner != null && current.containsKey(owner)) {
                current.get(owner).add(id);
            }
        }
        int base = ids.size() / nodes.size();
        int larger = ids.size() % nodes.size();
        List<String> byLoad = new ArrayList<>(nodes);
        byLoad.sort(Comparator.<String>comparingInt(n -> current.get(n).size()).reversed()
                .thenComparing(Comparator.naturalOrder()));
        Map<String, Integer> share = new HashMap<>();
        for (int i = 0; i < byLoad.size(); i++) {
            share.put(byLoad.get(i), base + (i < larger ? 1 : 0));
        }
        Map<String, Integer> assigned = new HashMap<>();
        List<String> free = new ArrayList<>();
        for (String id : ids) {
            String owner = owners.get(id);
            List<String> owned = owner == null ? null : current.get(owner);
            int kept = owned == null ? 0 : assigned.getOrDefault(owner, 0);
            if (owned != null && kept < share.get(owner)) {
                target.put(id, owner);
                assigned.put(owner, kept + 1);
            } else {
                free.add(id);
            }
        }
        for (String id : free) {
            String best = null;
            int bestRoom = 0;
            for (String n : nodes) {
                int room = share.get(n) - assigned.getOrDefault(n, 0);
                if (room > bestRoom) {
                    best = n;
                    bestRoom = room;
                }
            }
            target.put(id, best);
            assigned.merge(best, 1, Integer::sum);
        }
        return target;
    }
}
