package io.camrelay.media;

/**
 * Decode and composition times of one H.264 stream's pictures on its timeline (docs/timing.md; reference §1.7,
 * docs/protocols.md A9). A recorder stamps pictures in decode order with their arrival times: usable as they are
 * without B-frames, which keep the recorder's times ({@link Timeline}'s mapping of them). With B-frames those times
 * bunch up per mini-GOP, so such a stream is re-timed: decode times evenly at the frame interval, re-anchored at each
 * IDR to the recorder's time (its timeline ms) so the latency cannot drift; presentation times from the picture
 * order count, {@code PTS = anchor + (position + delay) × interval}; composition offsets never negative.
 *
 * <p>Whether a stream has B-frames is known from its SPS when the VUI states {@code max_num_reorder_frames} or the
 * profile or POC type rules reordering out; otherwise the first pictures are held back ({@link #holding()}) for
 * {@value #HOLD_MS} ms of picture time while the reordering shows (a picture displayed before one decoded earlier)
 * and its depth is learned. A B-frame stream without a signalled frame rate is held until its second IDR, at most
 * {@value #HOLD_WITHOUT_RATE_MS} ms, to measure the interval.
 *
 * <p>The frame interval of a re-timed GOP: the SPS's signalled rate, unless the key-frame-to-key-frame span per
 * picture of the GOP before measured more than {@value #RATE_TOLERANCE_PERCENT} % off it; then the measured one;
 * before any span is measured, the time of the highest-positioned picture so far over its position.
 *
 * <p>Use: {@link #sequence} for each new active SPS, then per picture in decode order {@link #observe}, and, once
 * {@link #holding()} is false, {@link #time} for it and each picture held before it, in order. Not thread-safe.
 */
final class PictureTimes {

    /** How long the first pictures wait when the SPS does not say whether the stream reorders (T1 holds ≤ 300 ms). */
    static final long HOLD_MS = 300;
    /** ... and a B-frame stream without a signalled rate waits for its second IDR, at most this long (T1: ≤ 2 s). */
    static final long HOLD_WITHOUT_RATE_MS = 2000;
    /** The most pictures held back whatever their times (2 s at 120 fps), bounding memory. */
    static final int MAX_HELD = 256;
    /** A signalled rate this far off the measured one is a wrong VUI: the measured one is used. */
    static final int RATE_TOLERANCE_PERCENT = 2;
    /** Largest composition offset written (SI24 allows 8388607 ms; a reorder window is well below 1 s). */
    static final int MAX_OFFSET_MS = 2000;
    /** Largest reorder depth learned from the stream (H.264's DPB holds at most 16 frames). */
    static final int MAX_LEARNED_DELAY = 16;
    /** Shortest and longest plausible frame interval measured from picture times, ms. */
    private static final double MIN_INTERVAL_MS = 1;
    private static final double MAX_INTERVAL_MS = 1000;

    private enum Mode {
        /** Not known yet whether the stream reorders, or its interval: pictures are held. */
        UNDECIDED,
        /** No B-frames: the recorder's times, no composition offset. */
        RECORDER_TIMES,
        /** B-frames: decode times evenly spaced, re-anchored at each IDR. */
        EVEN
    }

    private final Timeline timeline;
    private final H264PocDecoder pocDecoder = new H264PocDecoder();

    // of the active SPS
    private Mode mode = Mode.UNDECIDED;
    /** The SPS says whether the stream reorders (VUI max_num_reorder_frames, or profile / POC type). */
    private boolean reorderSignalled;
    private boolean reorderKnown;
    private boolean reorders;
    private int signalledDelay = -1;
    private double signalledIntervalMs;
    private boolean evenFromNextIdr;

    // learned from the pictures
    private long learnedDelay;
    private double measuredIntervalMs;
    private double estimatedIntervalMs;

    // of the current GOP (decode order since its IDR)
    private long idrPoc;
    private long decodeIndex = -1;
    private long position;
    private long highestPosition;
    private boolean idr;
    private long gopStartMs;
    private long gopPictures;
    private long gopDiscontinuities;
    private long gopGaps;

    // of the pictures held back
    private int held;
    private long firstHeldMs;

    // of the times handed out
    private double anchorMs;
    private double gopIntervalMs;
    /** Re-timed timeline minus the recorder's time on it, fixed since the last clock discontinuity. */
    private double anchorOffsetMs;
    private long anchorJumps;
    private double lastDtsExact;
    private long lastDts = Long.MIN_VALUE;
    private long dts;
    private int cts;

    /** Pictures timed against {@code timeline}, the mapping of the recorder's picture times. */
    PictureTimes(Timeline timeline) {
        this.timeline = timeline;
    }

    /** A new SPS is active (the stream starts, or its parameters changed at an IDR). */
    void sequence(H264Sps sps) {
        signalledIntervalMs = sps.frameRate() > 0 ? 1000.0 / sps.frameRate() : 0;
        int vuiReorder = sps.vui().maxNumReorderFrames();
        reorderSignalled = vuiReorder >= 0 || !sps.reordersFrames();
        reorderKnown = reorderSignalled;
        // without a word from the SPS a stream reorders once a picture shows it does
        reorders = reorderSignalled && sps.reordersFrames();
        signalledDelay = vuiReorder;
        learnedDelay = 0;
        estimatedIntervalMs = 0;
        evenFromNextIdr = false;
        mode = Mode.UNDECIDED;
        held = 0;
        decideIfKnown(Long.MIN_VALUE);
    }

    /**
     * The next picture in decode order, whose first slice header is {@code slice}, at {@code timelineMs} (the
     * recorder's time on the timeline). Afterwards {@link #holding()} says whether it must wait.
     */
    void observe(H264SliceHeader slice, H264Sps sps, long timelineMs) {
        long poc = pocDecoder.next(slice, sps);
        idr = slice.idr() || decodeIndex < 0;
        if (idr) {
            measureGop(timelineMs);
            idrPoc = poc;
            decodeIndex = 0;
            highestPosition = 0;
            gopStartMs = timelineMs;
            gopPictures = 0;
            gopDiscontinuities = timeline.discontinuities();
            gopGaps = timeline.gaps();
        } else {
            decodeIndex++;
        }
        gopPictures++;
        position = Math.floorDiv(poc - idrPoc, 2);
        if (position < highestPosition) {
            // shown before a picture decoded earlier: the stream has B-frames
            if (!reorderSignalled) {
                // B-frames that show up after the hold: re-timed from the next IDR on
                evenFromNextIdr = mode == Mode.RECORDER_TIMES;
                reorders = true;
            }
        } else if (position > highestPosition) {
            highestPosition = position;
            if (gopStartMs != timelineMs) {
                // an I/P picture carries the time it was captured (its B-frames bunch up behind it)
                estimatedIntervalMs = plausible((timelineMs - gopStartMs) / (double) position);
            }
        }
        learnedDelay = Math.max(learnedDelay, Math.min(decodeIndex - position, MAX_LEARNED_DELAY));
        if (mode == Mode.RECORDER_TIMES && evenFromNextIdr && idr) {
            mode = Mode.EVEN;
            evenFromNextIdr = false;
        }
        if (mode == Mode.UNDECIDED) {
            if (held == 0) {
                firstHeldMs = timelineMs;
            }
            held++;
            decide(timelineMs);
        }
    }

    /** Whether the pictures observed so far must wait until more are seen. */
    boolean holding() {
        return mode == Mode.UNDECIDED;
    }

    /** Stops holding: decides with what the pictures held so far showed (the SPS changes, or the stream ends). */
    void decideNow() {
        if (mode == Mode.UNDECIDED) {
            mode = reorders ? Mode.EVEN : Mode.RECORDER_TIMES;
            held = 0;
        }
    }

    /**
     * Times a picture observed earlier (or the one just observed): {@link #dts()} and {@link #cts()} afterwards.
     *
     * @param timelineMs   its recorder time on the timeline, as observed
     * @param pictureIndex its decode index since its IDR (0 = the IDR), as observed
     * @param pictureShown its display position since its IDR, as observed
     * @param jumps        the timeline's clock discontinuities when it was observed ({@link #jumps()})
     */
    void time(long timelineMs, long pictureIndex, long pictureShown, long jumps) {
        if (mode != Mode.EVEN) {
            dts = lastDts == Long.MIN_VALUE ? timelineMs : Math.max(timelineMs, lastDts + 1);
            cts = 0;
            lastDts = dts;
            lastDtsExact = dts;
            if (pictureIndex == 0) {
                // what re-timing from a later IDR on continues from, should B-frames show up
                anchorJumps = jumps;
                gopIntervalMs = intervalMs();
            }
            return;
        }
        if (pictureIndex == 0 || lastDts == Long.MIN_VALUE) {
            anchor(timelineMs, jumps);
        }
        double decodeExact = anchorMs + pictureIndex * gopIntervalMs;
        lastDtsExact = decodeExact;
        long decode = Math.round(decodeExact);
        dts = lastDts == Long.MIN_VALUE ? decode : Math.max(decode, lastDts + 1);
        long delay = signalledDelay >= 0 ? signalledDelay : learnedDelay;
        long presentation = Math.round(anchorMs + (pictureShown + delay) * gopIntervalMs);
        cts = (int) Math.max(0, Math.min(MAX_OFFSET_MS, presentation - dts));
        lastDts = dts;
    }

    /**
     * Anchors a GOP at its IDR: at the recorder's time, so the latency cannot drift, unless the recorder's clock
     * stepped within the GOP before (the timeline's discontinuity put the recorder's time anywhere within a
     * mini-GOP of where the pictures were) or it lies more than half an interval before where the GOP before ends
     * (an interval too long): then evenly after the GOP before, and the recorder's time is followed from there.
     */
    private void anchor(long timelineMs, long jumps) {
        if (lastDts == Long.MIN_VALUE) {
            anchorMs = timelineMs;
            anchorOffsetMs = 0;
        } else {
            double even = lastDtsExact + gopIntervalMs;
            double recorder = timelineMs + anchorOffsetMs;
            if (jumps != anchorJumps || recorder < even - gopIntervalMs / 2) {
                anchorMs = even;
                anchorOffsetMs = even - timelineMs;
            } else {
                anchorMs = recorder;
            }
        }
        anchorJumps = jumps;
        gopIntervalMs = intervalMs();
    }

    /** The timeline's clock discontinuities when the picture last observed was: pass it to {@link #time}. */
    long jumps() {
        return timeline.discontinuities();
    }

    /** The decode index since the IDR of the picture last observed. */
    long decodeIndex() {
        return decodeIndex;
    }

    /** The display position since the IDR of the picture last observed. */
    long position() {
        return position;
    }

    /** The decode time of the picture last timed, timeline ms. */
    long dts() {
        return dts;
    }

    /** The composition offset (PTS − DTS) of the picture last timed, ms, never negative. */
    int cts() {
        return cts;
    }

    /** The decode time last handed out, or {@code fallback} before the first. */
    long lastDts(long fallback) {
        return lastDts == Long.MIN_VALUE ? fallback : lastDts;
    }

    /** Whether the stream is re-timed (it has B-frames). */
    boolean retimed() {
        return mode == Mode.EVEN;
    }

    /** The frame interval a re-timed GOP starting now gets, ms. */
    double intervalMs() {
        double signalled = signalledIntervalMs;
        double measured = measuredIntervalMs;
        if (signalled > 0 && (measured <= 0
                || Math.abs(signalled - measured) * 100 <= RATE_TOLERANCE_PERCENT * measured)) {
            return signalled;
        }
        if (measured > 0) {
            return measured;
        }
        return estimatedIntervalMs > 0 ? estimatedIntervalMs : timeline.frameIntervalMs();
    }

    private void decide(long timelineMs) {
        long span = timelineMs - firstHeldMs;
        if (held >= MAX_HELD) {
            decideNow();
            return;
        }
        if (!reorderKnown && span >= HOLD_MS) {
            reorderKnown = true;
        }
        decideIfKnown(span);
    }

    /** Leaves UNDECIDED once reordering is known and, for a B-frame stream, its interval. */
    private void decideIfKnown(long span) {
        if (!reorderKnown) {
            return;
        }
        boolean intervalKnown = signalledIntervalMs > 0 || measuredIntervalMs > 0 || span >= HOLD_WITHOUT_RATE_MS;
        if (!reorders) {
            mode = Mode.RECORDER_TIMES;
        } else if (intervalKnown) {
            mode = Mode.EVEN;
        } else {
            return;
        }
        held = 0;
    }

    /**
     * At an IDR: the span per picture of the GOP that ends, unless the timeline jumped within it or a recording's
     * gap lies in it (the span would be the gap's, not the pictures').
     */
    private void measureGop(long timelineMs) {
        if (decodeIndex < 0 || gopPictures == 0 || timeline.discontinuities() != gopDiscontinuities
                || timeline.gaps() != gopGaps) {
            return;
        }
        double measured = plausible((timelineMs - gopStartMs) / (double) gopPictures);
        if (measured > 0) {
            measuredIntervalMs = measured;
        }
    }

    private static double plausible(double intervalMs) {
        return intervalMs >= MIN_INTERVAL_MS && intervalMs <= MAX_INTERVAL_MS ? intervalMs : 0;
    }
}
