package io.camrelay.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A stream's {@code hold:} settings (docs/design.md §5, §7a): what its destinations send while the camera side is
 * lost, and for how long before they unpublish.
 *
 * @param mode        freeze, slate or off
 * @param slate       the slate file for {@link HoldMode#SLATE} (H.264 Annex B or FLV), else null
 * @param maxDuration how long a destination holds before it unpublishes and waits for the camera
 */
public record HoldSettings(HoldMode mode, Path slate, Duration maxDuration) {

    /** {@code hold.maxDuration} when absent: YouTube may end a quiet broadcast, but a recorder restart is shorter. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(10);
    /** The settings of a stream without a {@code hold:} key: freeze for up to 10 minutes. */
    public static final HoldSettings DEFAULT = new HoldSettings(HoldMode.FREEZE, null, DEFAULT_MAX_DURATION);

    public HoldSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(maxDuration, "maxDuration");
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("hold.maxDuration must be positive, got " + maxDuration);
        }
        if (mode == HoldMode.SLATE && slate == null) {
            throw new IllegalArgumentException("hold.mode slate needs hold.slate: the H.264 (.h264) or .flv file to"
                    + " play");
        }
        if (mode != HoldMode.SLATE) {
            slate = null;
        }
    }
}
