package io.camrelay.vms;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded sequence as a recorder lists it (docs/protocols.md §8: RecorderCommandService {@code SequenceEntry}
 * or the ImageServer {@code alarms} reply): its begin and end on the recorder's clock.
 */
public record RecordedSequence(Instant begin, Instant end) {
    public RecordedSequence {
        Objects.requireNonNull(begin, "begin");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(begin)) {
            throw new IllegalArgumentException("sequence ends at " + end + " before it begins at " + begin);
        }
    }
}
