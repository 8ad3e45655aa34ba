package io.camrelay.media;

/**
 * Composition time (PTS − DTS) of pictures of a B-frame stream, derived from the picture order count as MediaMTX's
 * DTS extractor does (docs/protocols.md A9 point 3), but in the direction a recorder needs: the
 * camera times are decode times, the presentation time is found from the picture's display position.
 *
 * <p>Within a GOP, picture k in decode order is shown at position (POC − POC_IDR) / 2 (frame POCs advance by 2).
 * Shown as {@code PTS = DTS_IDR + (position + delay) × interval}, its offset is
 * {@code (position − k + delay) × interval}, where delay is the reorder depth: {@code max_num_reorder_frames} from
 * the VUI, or, without it, the largest {@code k − position} seen so far. FFmpeg gives the first key frame of an x264
 * stream with 2 B-frames 80 ms at 25 fps; so does this. The result is clamped to 0..{@link #MAX_OFFSET_MS}.
 */
final class CompositionTime {

    /** Largest composition offset written (SI24 allows 8388607 ms; a reorder window is well below 1 s). */
    static final int MAX_OFFSET_MS = 2000;

    private final H264PocDecoder pocDecoder = new H264PocDecoder();
    private long idrPoc;
    private long decodeIndex = -1;
    private long learnedDelay;

    /**
     * The composition offset in ms of the next picture in decode order.
     *
     * @param slice      the picture's first slice header
     * @param sps        the active SPS
     * @param intervalMs the nominal frame interval
     */
    int offsetMs(H264SliceHeader slice, H264Sps sps, double intervalMs) {
        long poc = pocDecoder.next(slice, sps);
        if (slice.idr() || decodeIndex < 0) {
            idrPoc = poc;
            decodeIndex = 0;
        } else {
            decodeIndex++;
        }
        if (!sps.reordersFrames()) {
            return 0;
        }
        long position = Math.floorDiv(poc - idrPoc, 2);
        learnedDelay = Math.max(learnedDelay, Math.min(decodeIndex - position, 16));
        int reorderFrames = sps.vui().maxNumReorderFrames();
        long delay = reorderFrames >= 0 ? reorderFrames : learnedDelay;
        double offset = (position - decodeIndex + delay) * intervalMs;
        return (int) Math.max(0, Math.min(MAX_OFFSET_MS, Math.round(offset)));
    }
}
