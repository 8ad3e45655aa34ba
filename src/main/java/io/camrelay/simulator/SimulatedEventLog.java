package io.camrelay.simulator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The simulated VMS's user-defined event types and the events and alarms posted to it (the last few kept). */
final class SimulatedEventLog {

    /** How many posted events and alarms are kept for reading back. */
    static final int MAX_RECORDED = 1000;

    private final Map<String, String> userDefinedEvents = new LinkedHashMap<>();
    private final Deque<PostedEvent> events = new ArrayDeque<>();
    private final Deque<PostedAlarm> alarms = new ArrayDeque<>();

    synchronized String createUserDefinedEvent(String name) {
        return userDefinedEvents.computeIfAbsent(name, n -> UUID.randomUUID().toString());
    }

    synchronized Map<String, String> userDefinedEvents() {
        return Map.copyOf(userDefinedEvents);
    }

    /** Records an event of a known user-defined type; empty when the type is unknown. */
    synchronized Optional<PostedEvent> recordEvent(String typeId) {
        Optional<String> name = userDefinedEvents.entrySet().stream()
                .filter(e -> e.getValue().equalsIgnoreCase(typeId)).map(Map.Entry::getKey).findFirst();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        PostedEvent e = new PostedEvent(typeId, name.get(), Instant.now());
        bounded(events, e);
        return Optional.of(e);
    }

    synchronized PostedAlarm recordAlarm(String name, String message, String source) {
        PostedAlarm a = new PostedAlarm(UUID.randomUUID().toString(), name, message, source, Instant.now());
        bounded(alarms, a);
        return a;
    }

    synchronized List<PostedEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<PostedAlarm> alarms() {
        return List.copyOf(alarms);
    }

    private static <T> void bounded(Deque<T> q, T item) {
        if (q.size() >= MAX_RECORDED) {
            q.removeFirst();
        }
        q.addLast(item);
    }
}
