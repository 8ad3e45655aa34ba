package io.camrelay.streams;

import io.camrelay.media.FlvTag;
import java.util.List;

/**
 * What a hold sends as video (docs/design.md §7a), picture by picture: the n-th hold picture (n = 1, 2, …) and when
 * it falls, in ms after the last camera picture. The caller stamps each on the stream's continuous timeline.
 */
interface HoldPictures {

    /** Hold pictures of a freeze come this often: at least 1 per second with room for a loaded machine's jitter. */
    long FREEZE_INTERVAL_MS = 500;

    /** Where hold picture {@code n} (from 1) falls, in ms after the last camera picture; increasing in n. */
    long offsetMs(long n);

    /** Hold picture {@code n}: its body and flags (the timestamp is the caller's). */
    FlvTag picture(long n);

    /** The AVC sequence header the pictures need, or null when it is the camera's own (a freeze). */
    FlvTag sequenceHeader();

    /** The stream's last key frame, repeated: nothing is encoded, and it matches the stream's SPS/PPS. */
    static HoldPictures freeze(FlvTag lastKeyFrame) {
        return new HoldPictures() {
            @Override
            public long offsetMs(long n) {
                return n * FREEZE_INTERVAL_MS;
            }

            @Override
            public FlvTag picture(long n) {
                return lastKeyFrame;
            }

            @Override
            public FlvTag sequenceHeader() {
                return null;
            }
        };
    }

    /**
     * A slate's pictures in a loop, the first {@link #FREEZE_INTERVAL_MS} after the last camera picture.
     *
     * @param pictures       the slate's pictures in decode order, the first a key frame
     * @param offsetsMs      each picture's time from the first, increasing
     * @param periodMs       one loop's length (the last picture's time plus one frame interval)
     * @param sequenceHeader the slate's AVC sequence header
     */
    static HoldPictures loop(List<FlvTag> pictures, long[] offsetsMs, long periodMs, FlvTag sequenceHeader) {
        return new HoldPictures() {
            @Override
            public long offsetMs(long n) {
                long i = n - 1;
                return FREEZE_INTERVAL_MS + (i / pictures.size()) * periodMs + offsetsMs[(int) (i % pictures.size())];
            }

            @Override
            public FlvTag picture(long n) {
                return pictures.get((int) ((n - 1) % pictures.size()));
            }

            @Override
            public FlvTag sequenceHeader() {
                return sequenceHeader;
            }
        };
    }
}
