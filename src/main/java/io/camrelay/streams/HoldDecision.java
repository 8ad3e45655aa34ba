package io.camrelay.streams;

import io.camrelay.support.Causes;
import java.util.List;
import java.util.Objects;

/**
 * The one place that decides whether a loss of the camera side holds the broadcast (docs/design.md §7a): every loss
 * does (a dropped or stalled session, an unreachable recorder or VMS, a refused token, a codec change, a route
 * restart), except a cause that must end the broadcast at once because the camera must not be published: then the
 * destinations unpublish with no hold picture after it, and the stream goes to ERROR. Those causes are the hook:
 * the exception types given to the constructor, found anywhere in a cause's chain (the application's wiring names
 * them, e.g. the ImageServer's privacy-mask refusal). Immutable.
 */
public final class HoldDecision {

    /** Every loss holds. */
    public static final HoldDecision ALWAYS = new HoldDecision(List.of());

    private final List<Class<? extends Throwable>> endingBroadcast;

    /** Every loss holds except one caused by an exception of one of {@code endingBroadcast}'s types. */
    public HoldDecision(List<Class<? extends Throwable>> endingBroadcast) {
        this.endingBroadcast = List.copyOf(Objects.requireNonNull(endingBroadcast, "endingBroadcast"));
    }

    /**
     * Whether a loss of the camera side caused by {@code cause} holds the destinations' publishes; a loss without an
     * exception ({@code null}: a session dropped or stalled) always does.
     */
    public boolean holds(Throwable cause) {
        for (Class<? extends Throwable> type : endingBroadcast) {
            if (Causes.find(cause, type) != null) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "HoldDecision[ends the broadcast on " + endingBroadcast.stream().map(Class::getSimpleName).toList() + "]";
    }
}
