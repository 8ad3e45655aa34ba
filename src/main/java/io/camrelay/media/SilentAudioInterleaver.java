package io.camrelay.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Adds a silent AAC track to a stream of FLV video tags, driven by the video timeline, never the wall clock
 * (docs/protocols.md A7): the AAC sequence header once, right after the first video sequence
 * header, and before each video tag with DTS t every silent frame whose timestamp is ≤ t. Frame timestamps come
 * from the frame counter ({@link SilentAac#timestampMs}), so the track never drifts.
 *
 * <p>Stateful: one instance per stream, fed from one thread at a time (one per route).
 */
public final class SilentAudioInterleaver {

    /**
     * At most this much audio is emitted at once; a longer video gap (a stall the timeline did not smooth) skips
     * the counter forward instead of bursting thousands of frames.
     */
    static final long MAX_CATCH_UP_MS = 2000;

    private final SilentAac aac;
    private final byte[] frameBody;
    /** A recording's track resumes with the picture after a gap, not {@link #MAX_CATCH_UP_MS} before it. */
    private final boolean resumeWithVideo;
    private boolean configSent;
    private long nextFrame;
    private long framesEmitted;

    /** Interleaves the given silent track. */
    public SilentAudioInterleaver(SilentAac aac) {
        this(aac, false);
    }

    private SilentAudioInterleaver(SilentAac aac, boolean resumeWithVideo) {
        this.aac = aac;
        this.frameBody = aac.frameBody();
        this.resumeWithVideo = resumeWithVideo;
    }

    /**
     * The silent track of a recording (exports), whose gaps stay gaps (architecture §11): after a video gap longer
     * than {@link #MAX_CATCH_UP_MS} the audio resumes at the first picture after it, so the audio has the same gap
     * (the MP4 writer carries it in the duration of the sample before; an FLV file's timestamps jump with the video).
     */
    public static SilentAudioInterleaver forRecording(SilentAac aac) {
        return new SilentAudioInterleaver(aac, true);
    }

    /** Interleaves the default track (48 kHz stereo). */
    public SilentAudioInterleaver() {
        this(SilentAac.DEFAULT);
    }

    /** The video (and script) tags of one picture, with the audio tags due before each inserted. */
    public List<FlvTag> interleave(List<FlvTag> tags) {
        List<FlvTag> out = new ArrayList<>(tags.size() + 4);
        for (FlvTag tag : tags) {
            if (tag.type() != FlvTagType.VIDEO) {
                out.add(tag);
                continue;
            }
            if (tag.sequenceHeader()) {
                out.add(tag);
                if (!configSent) {
                    out.add(audioTag(tag.timestamp(), true, aac.sequenceHeaderBody()));
                    configSent = true;
                }
                continue;
            }
            if (!configSent) {
                out.add(audioTag(tag.timestamp(), true, aac.sequenceHeaderBody()));
                configSent = true;
            }
            addFramesUpTo(tag.timestamp(), out);
            out.add(tag);
        }
        return out;
    }

    /** How many silent frames were emitted. */
    public long framesEmitted() {
        return framesEmitted;
    }

    /** The track being added. */
    public SilentAac aac() {
        return aac;
    }

    /**
     * Sequence-header bodies are made fresh per tag; the frame body is this interleaver's own array, which nothing
     * modifies, so every silent frame tag shares it instead of copying it.
     */
    private static FlvTag audioTag(long timestamp, boolean sequenceHeader, byte[] body) {
        return FlvTag.ofOwnedBody(FlvTagType.AUDIO, timestamp, false, sequenceHeader, false, body);
    }

    private void addFramesUpTo(long videoTimestamp, List<FlvTag> out) {
        if (videoTimestamp - aac.timestampMs(nextFrame) > MAX_CATCH_UP_MS) {
            // skip ahead: the first frame emitted is the first at or after (video − MAX_CATCH_UP_MS), for a
            // recording the first at or after the picture
            long target = resumeWithVideo ? videoTimestamp : videoTimestamp - MAX_CATCH_UP_MS;
            nextFrame = (target * aac.sampleRate() + SilentAac.SAMPLES_PER_FRAME * 1000L - 1)
                    / (SilentAac.SAMPLES_PER_FRAME * 1000L);
        }
        long ts;
        while ((ts = aac.timestampMs(nextFrame)) <= videoTimestamp) {
            out.add(audioTag(ts, false, frameBody));
            nextFrame++;
            framesEmitted++;
        }
    }
}
