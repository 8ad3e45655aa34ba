package io.camrelay.streams;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A condition a defined, enabled stream must meet to run on this node, besides its definition: its schedule (outside
 * its windows it is {@code SCHEDULED}), the cluster (where another node owns it, {@code STANDBY}). The reconciler asks
 * every gate before it starts or keeps a stream running, and again as soon as a gate says a stream's answer may have
 * changed; a stream a gate closes has its destinations unpublished cleanly and its ImageServer session closed, and
 * shows the gate's state and reason. Gates are the application's: they are added by its wiring.
 */
public interface StreamGate {

    /**
     * This gate's verdict on {@code definition} now. Called on the reconciler's thread; must not block for long.
     */
    Verdict check(StreamDefinition definition);

    /**
     * Tells the gate whom to call, with a stream id, when that stream's verdict may have changed (a window opened,
     * this node won or lost the stream); the call returns at once, the reconciler re-checks on its own thread.
     */
    void onChange(Consumer<String> recheck);

    /** The stream with this id is no longer defined: the gate may forget it (timers, leadership). */
    default void forget(String streamId) {
    }

    /**
     * What a gate says of one stream.
     *
     * @param open      whether the stream may run on this node
     * @param state     when closed, the state it shows ({@link StreamState#SCHEDULED}, {@link StreamState#STANDBY})
     * @param reason    when closed, why, for the status's lastError-free message (e.g. "outside its schedule"); when
     *                  open, an optional note (e.g. a polar day); the status shows it among the warnings, or as the
     *                  last error of a stream the gate puts in ERROR
     * @param nextStart when the gate expects to open, or null
     * @param owner     the cluster node that streams it (also when open: this node), or null without a cluster
     */
    record Verdict(boolean open, StreamState state, String reason, Instant nextStart, String owner) {

        /** Open, saying nothing more. */
        public static final Verdict OPEN = new Verdict(true, null, null, null, null);

        public Verdict {
            if (!open) {
                Objects.requireNonNull(state, "state");
                Objects.requireNonNull(reason, "reason");
            }
        }

        /** Open, streamed by {@code owner}. */
        public static Verdict openOwnedBy(String owner) {
            return new Verdict(true, null, null, null, owner);
        }

        /** Open, with a note the status shows ({@code reason}). */
        public static Verdict openNoting(String note) {
            return new Verdict(true, null, note, null, null);
        }

        /** Closed: the stream shows {@code state} because of {@code reason}. */
        public static Verdict closed(StreamState state, String reason, Instant nextStart, String owner) {
            return new Verdict(false, state, reason, nextStart, owner);
        }
    }
}
