package io.camrelay.media;

import java.util.List;

/**
 * Turns one codec's access units (Annex B, one picture each, decode order) into FLV video tags: the one place that
 * knows a codec's FLV form. {@link #forCodec} is the one switch over codecs; the route's tagging step, its codec
 * check, the onMetaData tag and the status ask the tagger it returns instead of knowing H.264 themselves. AVC is
 * {@link AvcTagger}; HEVC over Enhanced RTMP would be another implementation chosen here.
 *
 * <p>Stateful: one instance per stream, fed from one thread at a time.
 */
public interface VideoTagger {

    /** Whether CamRelay can put {@code codec} into FLV (the codec check of a stream route asks this). */
    static boolean canTag(VideoCodec codec) {
        return switch (codec) {
            case H264 -> true;
            default -> false;
        };
    }

    /**
     * The tagger for {@code codec}, timed by {@code timeline}.
     *
     * @throws IllegalArgumentException when {@link #canTag} says no
     */
    static VideoTagger forCodec(VideoCodec codec, Timeline timeline) {
        return switch (codec) {
            case H264 -> new AvcTagger(timeline);
            default -> throw new IllegalArgumentException(codec.displayName() + " cannot be put into FLV by this"
                    + " version of CamRelay (only H.264)");
        };
    }

    /** The codec this tagger takes. */
    VideoCodec codec();

    /**
     * The tags for one access unit (an unmodifiable list): nothing (dropped, no picture in it, or held back), the
     * picture, or a sequence header followed by the picture; after pictures were held back (while it is not known yet
     * whether the stream reorders, docs/timing.md) the tags of all of them, in decode order, each sequence header
     * before its picture.
     *
     * @param accessUnit   Annex B bytes of one coded picture with its parameter sets and SEI; the picture's tag
     *                     reads its NAL units from this array, so the caller must not modify it afterwards
     * @param cameraTimeMs the picture time the camera reported, ms, decode order
     * @throws MediaFormatException when the access unit is malformed
     */
    List<FlvTag> tag(byte[] accessUnit, long cameraTimeMs);

    /** The format of the sequence header last emitted, or null before the first one. */
    VideoFormat format();

    /** The end-of-sequence tag at the last timeline ms, to write before closing a file. */
    FlvTag endOfSequence();

    /** The timeline the tags are timed by: the mapping of the camera's picture times. */
    Timeline timeline();

    /** The timestamp (decode time, ms on the timeline) of the last picture tag handed out; 0 before the first. */
    default long lastTimestamp() {
        return timeline().lastTimestamp();
    }

    /** Pictures dropped while waiting for parameter sets and a key frame. */
    long droppedPictures();

    /** How many sequence headers were emitted (1 + the number of parameter-set changes). */
    long sequenceHeaders();
}
