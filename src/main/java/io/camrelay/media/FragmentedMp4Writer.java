package io.camrelay.media;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes fragmented MP4 (ISO/IEC 14496-12 §8.8) from the FLV tags a stream route produces, for a live preview through
 * Media Source Extensions: an init segment ({@code ftyp} + {@code moov} with {@code mvex}, no samples), then one
 * {@code moof} + {@code mdat} per picture, carrying the picture and the AAC frames that came before it
 * (docs/mp4.md). Output starts at the first key frame; what comes before it is dropped and counted. A changed AVC
 * (or AAC) configuration brings a new init segment before the next key frame.
 *
 * <p>A picture's duration is the time to the next picture, so each fragment goes out when the next picture arrives,
 * one frame behind the input. Each segment reaches the stream in one {@code write(byte[], int, int)} call followed by
 * {@code flush()}, so a caller can treat every write as one segment; the array is reused for the next one. The
 * stream is the caller's: nothing here closes it.
 *
 * <p>Timing: decode times count from the first key frame (ms, {@link Mp4Boxes#VIDEO_TIMESCALE}); composition offsets
 * are shifted by the first key frame's so that its presentation time is 0, which makes later B-frames' offsets
 * negative ({@code trun} version 1). Audio is on its sample clock from the same zero. Not thread-safe.
 */
public final class FragmentedMp4Writer {

    /** tfhd flag default-base-is-moof: data offsets count from the moof (§8.8.7.1; required by brand iso5). */
    static final int DEFAULT_BASE_IS_MOOF = 0x020000;
    /** trun flags (§8.8.8.1): data-offset-present. */
    static final int TRUN_DATA_OFFSET = 0x000001;
    /** ... sample-duration-present. */
    static final int TRUN_DURATION = 0x000100;
    /** ... sample-size-present. */
    static final int TRUN_SIZE = 0x000200;
    /** ... sample-flags-present. */
    static final int TRUN_FLAGS = 0x000400;
    /** ... sample-composition-time-offsets-present. */
    static final int TRUN_COMPOSITION_OFFSET = 0x000800;
    /** Sample flags (§8.8.3.1): sample_depends_on 2, an intra picture, and sample_is_non_sync_sample 0. */
    static final int SAMPLE_SYNC = 0x0200_0000;
    /** sample_depends_on 1 and sample_is_non_sync_sample 1: a predicted picture. */
    static final int SAMPLE_NON_SYNC = 0x0101_0000;
    /** sample_is_depended_on 2: no other picture refers to this one (FLV disposable, nal_ref_idc 0). */
    static final int SAMPLE_DISPOSABLE = 0x0080_0000;
    /** Audio frames a fragment holds at most; past it they go out without waiting for a picture (a video stall). */
    static final int MAX_PENDING_AUDIO = 64;

    private final OutputStream out;
    private final Mp4TagReader reader = new Mp4TagReader();
    private final Mp4BoxWriter w = new Mp4BoxWriter(64 * 1024);
    /** A picture's NAL units into the fragment's mdat, from where its tag holds them. */
    private final FlvTag.BodyWriter<RuntimeException> mdat = w::bytes;
    private Mp4VideoConfig videoConfig;
    private Mp4AudioConfig audioConfig;
    private Mp4VideoConfig initVideo;
    private Mp4AudioConfig initAudio;
    private boolean started;
    private boolean waitingForKeyFrame = true;
    private long firstDts;
    private int firstCompositionTime;
    private long zeroMs;
    private Mp4AudioClock audioClock;
    private FlvTag heldPicture;
    private int heldCompositionTime;
    private boolean heldKey;
    private long lastPictureDuration = Math.round(Timeline.DEFAULT_INTERVAL_MS);
    private final List<FlvTag> audioTags = new ArrayList<>();
    private long[] audioPositions = new long[MAX_PENDING_AUDIO + 1];
    private int sequenceNumber;
    private long initSegments;
    private long fragments;
    private long droppedPictures;
    private long droppedAudioFrames;

    /** Writes the segments to {@code out}. */
    public FragmentedMp4Writer(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Writes the tags of one picture in order. */
    public void write(List<FlvTag> tags) throws IOException {
        for (FlvTag tag : tags) {
            write(tag);
        }
    }

    /**
     * Takes one tag; writes the segments it completes.
     *
     * @throws Mp4FormatException for a video tag that is not AVC, an audio tag that is not AAC, a malformed
     *                            configuration, or a timestamp going backwards
     */
    public void write(FlvTag tag) throws IOException {
        switch (reader.read(tag)) {
            case IGNORED -> { }
            case VIDEO_CONFIG -> {
                if (!reader.videoConfig().equals(videoConfig)) {
                    videoConfig = reader.videoConfig();
                    waitingForKeyFrame = true; // the next pictures need the new parameter sets: from a key frame on
                }
            }
            case AUDIO_CONFIG -> acceptAudioConfig(reader.audioConfig(), tag.timestamp());
            case VIDEO_SAMPLE -> writePicture(tag);
            case AUDIO_SAMPLE -> writeAudioFrame(tag);
        }
    }

    /** Writes what is held back (the last picture, lasting as long as the one before it, and its audio). */
    public void finish() throws IOException {
        if (heldPicture != null || !audioTags.isEmpty()) {
            fragment(heldPicture, lastPictureDuration, audioTags.size());
            heldPicture = null;
        }
    }

    /**
     * The RFC 6381 codecs of the current init segment, e.g. {@code avc1.64001F, mp4a.40.2}; empty before the first
     * key frame.
     */
    public Optional<String> codecs() {
        if (initVideo == null) {
            return Optional.empty();
        }
        return Optional.of(initVideo.codecString() + (initAudio == null ? "" : ", " + initAudio.codecString()));
    }

    /**
     * What to ask {@code MediaSource.isTypeSupported} and to send as Content-Type, e.g.
     * {@code video/mp4; codecs="avc1.64001F, mp4a.40.2"}; empty before the first key frame.
     */
    public Optional<String> mimeType() {
        return codecs().map(c -> "video/mp4; codecs=\"" + c + "\"");
    }

    /** Init segments written: 1 + the configuration changes since. */
    public long initSegments() {
        return initSegments;
    }

    /** Media segments (moof + mdat) written. */
    public long fragments() {
        return fragments;
    }

    /** Pictures dropped: before the first key frame, or after a configuration change until the next key frame. */
    public long droppedPictures() {
        return droppedPictures;
    }

    /** AAC frames dropped: before the first key frame is shown, or with no audio track in the init segment. */
    public long droppedAudioFrames() {
        return droppedAudioFrames;
    }

    private void acceptAudioConfig(Mp4AudioConfig config, long ms) {
        if (audioClock != null && config.sampleRate() != audioClock.sampleRate()) {
            throw new Mp4FormatException(String.format(Locale.ROOT, "AAC sample rate changes from %d to %d Hz at %d "
                    + "ms (expected one rate per stream: the track's timescale)", audioClock.sampleRate(),
                    config.sampleRate(), ms));
        }
        audioConfig = config;
    }

    private void writePicture(FlvTag tag) throws IOException {
        long ms = tag.timestamp();
        if (heldPicture != null && ms <= heldPicture.timestamp()) {
            throw new Mp4FormatException("picture timestamp " + ms + " ms does not increase (expected more than the "
                    + "previous picture's " + heldPicture.timestamp() + " ms)");
        }
        boolean key = reader.keyFrame();
        if (videoConfig == null || (waitingForKeyFrame && !key)) {
            droppedPictures++;
            return;
        }
        int compositionTime = reader.compositionTime();
        if (!started) {
            start(ms, compositionTime);
        }
        if (heldPicture != null) {
            lastPictureDuration = ms - heldPicture.timestamp();
            fragment(heldPicture, lastPictureDuration, Math.max(0, audioTags.size() - 1));
        }
        if (key && (!videoConfig.equals(initVideo) || (initAudio != null && !audioConfig.equals(initAudio)))) {
            initSegment();
        }
        waitingForKeyFrame = false;
        heldPicture = tag;
        heldCompositionTime = compositionTime;
        heldKey = key;
    }

    private void start(long ms, int compositionTime) {
        started = true;
        firstDts = ms;
        firstCompositionTime = compositionTime;
        zeroMs = ms + compositionTime;
        if (audioConfig != null) {
            audioClock = new Mp4AudioClock(zeroMs, audioConfig.sampleRate());
        }
        // the frames that came before the key frame: those from its presentation time on are played with it
        List<FlvTag> early = List.copyOf(audioTags);
        audioTags.clear();
        for (FlvTag tag : early) {
            addAudio(tag);
        }
    }

    private void writeAudioFrame(FlvTag tag) throws IOException {
        if (audioConfig == null) {
            throw new Mp4FormatException("AAC frame at " + tag.timestamp() + " ms comes before any AAC sequence "
                    + "header (expected the AudioSpecificConfig first)");
        }
        if (!started) {
            if (audioTags.size() == MAX_PENDING_AUDIO) {
                audioTags.remove(0);
                droppedAudioFrames++;
            }
            audioTags.add(tag); // placed once the first key frame says where time 0 is
            return;
        }
        addAudio(tag);
        if (audioTags.size() > MAX_PENDING_AUDIO) {
            fragment(null, 0, audioTags.size() - 1);
        }
    }

    /** Places an AAC frame on the audio clock and queues it; frames before time 0, or without a track, are dropped. */
    private void addAudio(FlvTag tag) {
        if (audioClock == null || tag.timestamp() < zeroMs) {
            droppedAudioFrames++;
            return;
        }
        long position = audioClock.position(tag.timestamp(), audioConfig.samplesPerFrame());
        audioTags.add(tag);
        audioPositions[audioTags.size() - 1] = position;
    }

    private void initSegment() throws IOException {
        initVideo = videoConfig;
        initAudio = audioClock == null ? null : audioConfig;
        w.reset();
        Mp4Boxes.ftyp(w, Mp4Boxes.BRAND_ISO5, Mp4Boxes.BRAND_ISO5, Mp4Boxes.BRAND_ISO6, Mp4Boxes.BRAND_AVC1,
                Mp4Boxes.BRAND_MP41);
        w.begin(Mp4Boxes.MOOV);
        Mp4Boxes.mvhd(w, 0);
        track(false);
        if (initAudio != null) {
            track(true);
        }
        w.begin(Mp4Boxes.MVEX);
        trex(Mp4Boxes.VIDEO_TRACK_ID, SAMPLE_NON_SYNC);
        if (initAudio != null) {
            trex(Mp4Boxes.AUDIO_TRACK_ID, SAMPLE_SYNC);
        }
        w.end().end();
        emit();
        initSegments++;
    }

    private void track(boolean audio) {
        w.begin(Mp4Boxes.TRAK);
        Mp4Boxes.tkhd(w, audio ? Mp4Boxes.AUDIO_TRACK_ID : Mp4Boxes.VIDEO_TRACK_ID, 0, audio,
                audio ? 0 : initVideo.width(), audio ? 0 : initVideo.height());
        w.begin(Mp4Boxes.MDIA);
        Mp4Boxes.mdhd(w, audio ? initAudio.sampleRate() : Mp4Boxes.VIDEO_TIMESCALE, 0);
        Mp4Boxes.hdlr(w, audio);
        w.begin(Mp4Boxes.MINF);
        Mp4Boxes.mediaHeaderAndDataInformation(w, audio);
        w.begin(Mp4Boxes.STBL);
        if (audio) {
            Mp4Boxes.audioSampleDescriptions(w, List.of(initAudio));
        } else {
            Mp4Boxes.videoSampleDescriptions(w, List.of(initVideo));
        }
        Mp4Boxes.emptySampleTables(w);
        w.end().end().end().end(); // stbl, minf, mdia, trak
    }

    /** trex (§8.8.3): sample description 1, no default duration or size, the given default sample flags. */
    private void trex(int trackId, int defaultFlags) {
        w.beginFull(Mp4Boxes.TREX, 0, 0).u32(trackId).u32(1).u32(0).u32(0).u32(defaultFlags).end();
    }

    /**
     * One moof + mdat: {@code picture} (or none) lasting {@code duration} ms, and the first {@code audioCount}
     * pending AAC frames, each lasting until the next.
     */
    private void fragment(FlvTag picture, long duration, int audioCount) throws IOException {
        if (picture == null && audioCount == 0) {
            return;
        }
        boolean withAudio = audioCount > 0;
        int pictureSize = picture == null ? 0 : picture.size() - AvcTagger.VIDEO_TAG_HEADER_LENGTH;
        w.reset();
        w.begin(Mp4Boxes.MOOF);
        w.beginFull(Mp4Boxes.MFHD, 0, 0).u32(++sequenceNumber).end();
        int videoOffsetAt = -1;
        if (picture != null) {
            int offset = heldCompositionTime - firstCompositionTime;
            trafHeader(Mp4Boxes.VIDEO_TRACK_ID, picture.timestamp() - firstDts);
            w.beginFull(Mp4Boxes.TRUN, offset < 0 ? 1 : 0,
                    TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_SIZE | TRUN_FLAGS | TRUN_COMPOSITION_OFFSET).u32(1);
            videoOffsetAt = w.mark();
            int flags = heldKey ? SAMPLE_SYNC : SAMPLE_NON_SYNC;
            w.u32(0).u32(duration).u32(pictureSize).u32(picture.disposable() ? flags | SAMPLE_DISPOSABLE : flags)
                    .u32(offset);
            w.end().end(); // trun, traf
        }
        int audioOffsetAt = -1;
        if (withAudio) {
            trafHeader(Mp4Boxes.AUDIO_TRACK_ID, audioPositions[0]);
            w.beginFull(Mp4Boxes.TRUN, 0, TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_SIZE).u32(audioCount);
            audioOffsetAt = w.mark();
            w.u32(0);
            for (int i = 0; i < audioCount; i++) {
                long next = i + 1 < audioTags.size() ? audioPositions[i + 1]
                        : audioPositions[i] + audioConfig.samplesPerFrame();
                int size = audioTags.get(i).size() - Mp4TagReader.AUDIO_TAG_HEADER_LENGTH;
                w.u32(next - audioPositions[i]).u32(size);
            }
            w.end().end();
        }
        w.end(); // moof
        int moofSize = w.mark();
        if (videoOffsetAt >= 0) {
            w.patchU32(videoOffsetAt, moofSize + Mp4BoxWriter.HEADER_SIZE);
        }
        if (audioOffsetAt >= 0) {
            w.patchU32(audioOffsetAt, moofSize + Mp4BoxWriter.HEADER_SIZE + pictureSize);
        }
        w.begin(Mp4Boxes.MDAT);
        if (picture != null) {
            picture.writeBody(AvcTagger.VIDEO_TAG_HEADER_LENGTH, pictureSize, mdat);
        }
        for (int i = 0; i < audioCount; i++) {
            byte[] body = audioTags.get(i).bodyUnsafe();
            w.bytes(body, Mp4TagReader.AUDIO_TAG_HEADER_LENGTH, body.length - Mp4TagReader.AUDIO_TAG_HEADER_LENGTH);
        }
        w.end();
        emit();
        fragments++;
        dropAudio(audioCount);
    }

    private void trafHeader(int trackId, long decodeTime) {
        w.begin(Mp4Boxes.TRAF);
        w.beginFull(Mp4Boxes.TFHD, 0, DEFAULT_BASE_IS_MOOF).u32(trackId).end();
        w.beginFull(Mp4Boxes.TFDT, 1, 0).u64(decodeTime).end(); // baseMediaDecodeTime, 64 bits
    }

    /** Forgets the first {@code count} pending audio frames, which a fragment carried. */
    private void dropAudio(int count) {
        if (count == 0) {
            return;
        }
        int left = audioTags.size() - count;
        System.arraycopy(audioPositions, count, audioPositions, 0, left);
        audioTags.subList(0, count).clear();
    }

    private void emit() throws IOException {
        out.write(w.array(), 0, w.mark());
        out.flush();
    }
}
