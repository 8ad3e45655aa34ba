package io.camrelay.media;

/**
 * Maps camera picture times (ms UTC, decode order) to an RTMP timeline in ms starting at 0
 * (docs/protocols.md A9). The output never goes backwards: a time at or before the last one becomes
 * last + 1 (as FFmpeg rewrites). A jump backwards, or forwards by more than max(1 s, 5 frame intervals), is a
 * clock discontinuity (NTP step, camera reboot): the timeline continues at last + one frame interval and counts it.
 * A recording's timeline ({@link #forRecording()}) keeps forward jumps instead: a gap in the recording stays a gap in
 * time (architecture §11); only backward steps are discontinuities there.
 * Not thread-safe: one instance per stream, fed from one thread at a time.
 */
public final class Timeline {

    /** A forward jump up to this long is treated as a real gap (§A9 point 5). */
    static final long MIN_DISCONTINUITY_MS = 1000;
    /** ... or up to this many frame intervals, whichever is longer. */
    static final int DISCONTINUITY_FRAMES = 5;
    /** Frame interval assumed until the SPS or the input says otherwise (25 fps, the common camera rate). */
    static final double DEFAULT_INTERVAL_MS = 40.0;
    /** Weight of a new input delta in the measured frame interval. */
    private static final double MEASURE_WEIGHT = 0.1;

    /** Forward jumps are gaps in a recording, kept as they are ({@link #forRecording()}). */
    private final boolean keepForwardGaps;
    private boolean started;
    private long offset; // output = input - offset, until the next discontinuity
    private long lastInput;
    private long lastOutput;
    private double nominalIntervalMs;
    private double measuredIntervalMs = DEFAULT_INTERVAL_MS;
    private long discontinuities;
    private long gaps;

    /** A live stream's timeline: forward jumps beyond the limit are discontinuities too. */
    public Timeline() {
        this(false);
    }

    private Timeline(boolean keepForwardGaps) {
        this.keepForwardGaps = keepForwardGaps;
    }

    /**
     * A recording's timeline (exports): a forward jump of any length is a gap in the recording and kept in time
     * (counted by {@link #gaps()}); a backward step is still a discontinuity, continued one frame interval later.
     */
    public static Timeline forRecording() {
        return new Timeline(true);
    }

    /**
     * Sets the nominal frame rate (from the SPS VUI timing info); 0 or less means unknown, and the interval is then
     * measured from the input.
     */
    public void setNominalFrameRate(double fps) {
        nominalIntervalMs = fps > 0 && fps <= 1000 ? 1000.0 / fps : 0;
    }

    /** The frame interval in use, ms: nominal when known, else measured. */
    public double frameIntervalMs() {
        return nominalIntervalMs > 0 ? nominalIntervalMs : measuredIntervalMs;
    }

    /** The timeline ms of the next picture, whose camera time is {@code cameraMs}. */
    public long next(long cameraMs) {
        if (!started) {
            started = true;
            offset = cameraMs;
            lastInput = cameraMs;
            lastOutput = 0;
            return 0;
        }
        long delta = cameraMs - lastInput;
        double interval = frameIntervalMs();
        long limit = Math.max(MIN_DISCONTINUITY_MS, Math.round(DISCONTINUITY_FRAMES * interval));
        long out;
        if (keepForwardGaps && delta > limit) {
            gaps++;
            out = cameraMs - offset;
        } else if (delta < 0 || delta > limit) {
            discontinuities++;
            out = lastOutput + Math.max(1, Math.round(interval));
            offset = cameraMs - out;
        } else {
            if (delta > 0) {
                measuredIntervalMs += MEASURE_WEIGHT * (delta - measuredIntervalMs);
            }
            out = cameraMs - offset;
        }
        if (out <= lastOutput) {
            out = lastOutput + 1;
        }
        lastInput = cameraMs;
        lastOutput = out;
        return out;
    }

    /** The last timeline ms handed out (0 before the first picture). */
    public long lastTimestamp() {
        return lastOutput;
    }

    /** How many clock discontinuities were smoothed over. */
    public long discontinuities() {
        return discontinuities;
    }

    /** How many forward jumps were kept as gaps (a recording's timeline only; always 0 for live). */
    public long gaps() {
        return gaps;
    }
}
