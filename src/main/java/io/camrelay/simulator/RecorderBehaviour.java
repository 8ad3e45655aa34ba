package io.camrelay.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated recording server stamps and pushes one camera's pictures, after what real 2025 R3 recorders do
 * (docs/simulator.md, reference §1.3, §1.5, §1.7). {@link #REAL} is what a recorder does and the default of every
 * camera; the other settings exist to test what CamRelay does with each behaviour alone.
 *
 * @param burstyStamps         B-frame clips stamped in decode order with their arrival times, which bunch up per
 *                             mini-GOP (§1.7); without it every picture is one frame interval after the last
 * @param preBufferedGop       {@code live} starts with the GOP the recorder has buffered, its picture times up to a
 *                             GOP in the past (§1.3); without it the clip starts at its first picture when live does
 * @param privacyMask          the camera has a privacy mask from the start: every response says {@code PrivacyMask:
 *                             grid;…} (§1.5); {@link ImageServerSimulator#setPrivacyMask} switches it at run time
 * @param clockOffset          how far the recorder's clock is ahead of this machine's (negative: behind), §1.7
 * @param livePackageInterval  how often a {@code livepackage} keepalive is sent (§1.1: at least every 5 s)
 */
public record RecorderBehaviour(boolean burstyStamps, boolean preBufferedGop, boolean privacyMask,
        Duration clockOffset, Duration livePackageInterval) {

    /** A recorder sends a livepackage at least every 5 s (reference §1.1, §1.7). */
    public static final Duration MAX_LIVE_PACKAGE_INTERVAL = Duration.ofSeconds(5);
    /** The simulator's keepalive interval unless told otherwise. */
    public static final Duration DEFAULT_LIVE_PACKAGE_INTERVAL = Duration.ofSeconds(3);
    /** What a real recorder does: bursty B-frame stamps, the pre-buffered GOP, no mask, no clock offset. */
    public static final RecorderBehaviour REAL = new RecorderBehaviour(true, true, false, Duration.ZERO,
            DEFAULT_LIVE_PACKAGE_INTERVAL);

    public RecorderBehaviour {
        Objects.requireNonNull(clockOffset, "clockOffset");
        Objects.requireNonNull(livePackageInterval, "livePackageInterval");
        if (livePackageInterval.isNegative() || livePackageInterval.isZero()
                || livePackageInterval.compareTo(MAX_LIVE_PACKAGE_INTERVAL) > 0) {
            throw new IllegalArgumentException("livePackageInterval " + livePackageInterval
                    + " (expected more than 0 and at most " + MAX_LIVE_PACKAGE_INTERVAL + ", as recorders send them)");
        }
    }

    public RecorderBehaviour withBurstyStamps(boolean on) {
        return new RecorderBehaviour(on, preBufferedGop, privacyMask, clockOffset, livePackageInterval);
    }

    public RecorderBehaviour withPreBufferedGop(boolean on) {
        return new RecorderBehaviour(burstyStamps, on, privacyMask, clockOffset, livePackageInterval);
    }

    public RecorderBehaviour withPrivacyMask(boolean on) {
        return new RecorderBehaviour(burstyStamps, preBufferedGop, on, clockOffset, livePackageInterval);
    }

    public RecorderBehaviour withClockOffset(Duration offset) {
        return new RecorderBehaviour(burstyStamps, preBufferedGop, privacyMask, offset, livePackageInterval);
    }

    public RecorderBehaviour withLivePackageInterval(Duration interval) {
        return new RecorderBehaviour(burstyStamps, preBufferedGop, privacyMask, clockOffset, interval);
    }
}
