package io.camrelay.media;

/**
 * Places AAC frames on their track's sample clock. FLV audio timestamps are ms, rounded (docs/protocols.md A7), so
 * each frame goes exactly one frame length after the previous one unless its timestamp is more than half a frame
 * later than that: then a gap in the input stays a gap, carried by the previous sample's duration.
 */
final class Mp4AudioClock {

    private final long originMs;
    private final int sampleRate;
    private boolean started;
    private long last;
    private long lastMs;

    /**
     * A clock whose sample 0 is at {@code originMs} on the FLV timeline.
     *
     * @param sampleRate the track's timescale, samples per second
     */
    Mp4AudioClock(long originMs, int sampleRate) {
        this.originMs = originMs;
        this.sampleRate = sampleRate;
    }

    /**
     * The sample position of the frame at {@code ms}, a frame of {@code frameLength} samples after the previous one
     * unless the input has a gap.
     *
     * @throws Mp4FormatException when {@code ms} is before the previous frame's timestamp
     */
    long position(long ms, int frameLength) {
        long ideal = Math.floorDiv((ms - originMs) * sampleRate + 500, 1000);
        if (!started) {
            started = true;
            last = ideal;
            lastMs = ms;
            return ideal;
        }
        if (ms < lastMs) {
            throw new Mp4FormatException("audio timestamp " + ms + " ms goes backwards (expected at least the "
                    + "previous frame's " + lastMs + " ms)");
        }
        long expected = last + frameLength;
        last = ideal > expected + frameLength / 2 ? ideal : expected;
        lastMs = ms;
        return last;
    }

    /** The sample position of {@code ms}, rounded. */
    long toSamples(long ms) {
        return Math.floorDiv((ms - originMs) * sampleRate + 500, 1000);
    }

    /** The sample rate: the track's timescale. */
    int sampleRate() {
        return sampleRate;
    }
}
