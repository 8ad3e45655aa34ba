package io.camrelay.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What every simulated camera has recorded (docs/simulator.md, "Recordings"; reference §8): its clip laid over the
 * time from {@code recordedBefore} before the camera started up to about now (new footage reaches the database about
 * 1 s after capture, §8.1), with the {@code gaps} in it not recorded. Times are on the camera's recorder's clock.
 *
 * @param recordedBefore how long before the camera started (when the simulator first knew it) the recording begins;
 *                       zero for a camera that has recorded nothing
 * @param gaps           spans not recorded, each from its offset after the recording's start; aligned outwards to
 *                       the clip's key frames, so every recorded span starts with a key frame
 */
public record RecordingLayout(Duration recordedBefore, List<Gap> gaps) {

    /** The default: two hours of recording with one minute missing an hour in (a gap for exports to keep). */
    public static final RecordingLayout DEFAULT = new RecordingLayout(Duration.ofHours(2),
            List.of(new Gap(Duration.ofMinutes(60), Duration.ofMinutes(1))));
    /** Nothing recorded: playback answers with an empty reply (reference §8.1, "Empty database"). */
    public static final RecordingLayout NONE = new RecordingLayout(Duration.ZERO, List.of());

    /**
     * A span of the recording that holds no pictures.
     *
     * @param after  its start, after the start of the recording
     * @param length how long it lasts
     */
    public record Gap(Duration after, Duration length) {
        public Gap {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(length, "length");
            if (after.isNegative() || length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("recording gap at " + after + " for " + length
                        + " (expected a start of 0 or more and a positive length)");
            }
        }
    }

    public RecordingLayout {
        Objects.requireNonNull(recordedBefore, "recordedBefore");
        if (recordedBefore.isNegative()) {
            throw new IllegalArgumentException("recordedBefore " + recordedBefore + " (expected 0 or more)");
        }
        gaps = List.copyOf(gaps);
    }

    /** A recording of {@code recordedBefore} before the camera started, up to now, without gaps. */
    public static RecordingLayout continuous(Duration recordedBefore) {
        return new RecordingLayout(recordedBefore, List.of());
    }

    /** Whether the camera has recorded anything. */
    boolean empty() {
        return recordedBefore.isZero();
    }
}
