package io.camrelay.alerts;

import io.camrelay.streams.StreamState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When to alert, per stream, pure and on one thread: a stream is down when it is not STREAMING (HOLDING counts) and
 * is watched (not SCHEDULED, STANDBY, DISABLED or STOPPED). An episode begins when it went down; it is alerted once
 * the stream has been down for {@code after} without having been STREAMING for {@code after} in between (a stream
 * that comes back for less counts as still down, so a flapping stream alerts once); it ends with a recovery once the
 * stream has been STREAMING for {@code after} again. A stream that stops being watched ends an alerted episode at
 * once (the receiver hears that it is, say, SCHEDULED now) and a pending one silently.
 */
final class AlertEpisodes {

    /** What happened to a stream's episode. */
    enum Kind {
        /** Down for {@code after}: the episode's alert. */
        DOWN,
        /** STREAMING for {@code after} again: the episode is over. */
        RECOVERED,
        /** No longer watched (SCHEDULED, STANDBY, DISABLED, STOPPED) during an alerted episode: it is over. */
        ENDED
    }

    /**
     * One alert to send.
     *
     * @param streamId the stream
     * @param kind     what happened
     * @param since    DOWN: when the stream left STREAMING; RECOVERED: since when it streams again; ENDED: when it
     *                 stopped being watched
     * @param downSince when the episode began (the stream left STREAMING)
     */
    record Due(String streamId, Kind kind, Instant since, Instant downSince) {
    }

    private enum Phase { PENDING, ALERTED }

    private static final class Episode {
        Phase phase = Phase.PENDING;
        final Instant downSince;
        /** Since when it streams again, or null while it is down. */
        Instant upSince;

        Episode(Instant downSince) {
            this.downSince = downSince;
        }
    }

    private final Duration after;
    private final Map<String, Episode> episodes = new HashMap<>();

    AlertEpisodes(Duration after) {
        this.after = Objects.requireNonNull(after, "after");
    }

    /** Whether a stream in {@code state} is watched at all. */
    static boolean watched(StreamState state) {
        return switch (state) {
            case SCHEDULED, STANDBY, DISABLED, STOPPED -> false;
            default -> true;
        };
    }

    /** Stream {@code id} is in {@code state} from {@code now} on; returns what is due at once. */
    List<Due> onState(String id, StreamState state, Instant now) {
        Episode e = episodes.get(id);
        List<Due> due = new ArrayList<>();
        if (!watched(state)) {
            if (e != null) {
                episodes.remove(id);
                if (e.phase == Phase.ALERTED) {
                    due.add(new Due(id, Kind.ENDED, now, e.downSince));
                }
            }
            return due;
        }
        if (state == StreamState.STREAMING) {
            if (e != null && e.upSince == null) {
                e.upSince = now;
            }
        } else if (e == null) {
            episodes.put(id, new Episode(now));
        } else {
            e.upSince = null;
        }
        evaluate(id, now, due);
        return due;
    }

    /** Time went on to {@code now}: what is due. */
    List<Due> onTick(Instant now) {
        List<Due> due = new ArrayList<>();
        for (String id : List.copyOf(episodes.keySet())) {
            evaluate(id, now, due);
        }
        return due;
    }

    /** Forgets stream {@code id} (removed, or silenced with {@code alerts: false}). */
    void forget(String id) {
        episodes.remove(id);
    }

    /** The earliest time something may become due, if any. */
    Optional<Instant> nextDeadline() {
        Instant next = null;
        for (Episode e : episodes.values()) {
            Instant at = deadline(e);
            if (at != null && (next == null || at.isBefore(next))) {
                next = at;
            }
        }
        return Optional.ofNullable(next);
    }

    /** The streams with an episode (pending or alerted). */
    List<String> streams() {
        return List.copyOf(episodes.keySet());
    }

    private Instant deadline(Episode e) {
        if (e.upSince != null) {
            return e.upSince.plus(after);
        }
        return e.phase == Phase.PENDING ? e.downSince.plus(after) : null;
    }

    private void evaluate(String id, Instant now, List<Due> due) {
        Episode e = episodes.get(id);
        if (e == null) {
            return;
        }
        boolean backLongEnough = e.upSince != null && !now.isBefore(e.upSince.plus(after));
        if (e.phase == Phase.PENDING) {
            if (backLongEnough) {
                episodes.remove(id); // a blip: back before anyone needed telling
            } else if (e.upSince == null && !now.isBefore(e.downSince.plus(after))) {
                e.phase = Phase.ALERTED;
                due.add(new Due(id, Kind.DOWN, e.downSince, e.downSince));
            }
        } else if (backLongEnough) {
            episodes.remove(id);
            due.add(new Due(id, Kind.RECOVERED, e.upSince, e.downSince));
        }
    }
}
