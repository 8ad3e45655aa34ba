package io.camrelay.media;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The {@code moov} of a progressive MP4 file, from the finished sample tables of its tracks. Movie time 0 is the
 * first picture shown (the earliest composition time of the video): each track gets an edit list (§8.6.6) mapping
 * it there, so a B-frame stream, whose first picture is shown after it is decoded, still presents from 0, the
 * audio stays where the FLV timeline had it relative to the video, and ctts offsets stay non-negative.
 */
final class Mp4MovieBox {

    /** media_rate_integer 1, media_rate_fraction 0: play at normal speed (§8.6.6.3). */
    static final int MEDIA_RATE_ONE = 0x0001_0000;
    /** media_time of an empty edit: nothing is presented for its duration (§8.6.6.3). */
    static final int EMPTY_EDIT = -1;
    /** mdat header with a 64-bit largesize (§4.2), when the media data does not fit a 32-bit size. */
    static final int LARGE_HEADER_SIZE = 16;
    /** Buffer of the output file for ftyp and moov; the media data goes file to file. */
    static final int OUTPUT_BUFFER = 64 * 1024;

    private final Mp4SampleTable video;
    private final List<Mp4VideoConfig> videoConfigs;
    private final Mp4SampleTable audio;
    private final List<Mp4AudioConfig> audioConfigs;
    private final int audioRate;
    private final Edit videoEdit;
    private final Edit audioEdit;

    /**
     * One track's edit list: an optional empty edit, then the media from {@code mediaTime} on.
     *
     * @param emptyMs   movie time before the track starts, ms (0: none)
     * @param mediaTime the media time (track timescale) presented at movie time {@code emptyMs}
     * @param duration  how long the media is presented, movie timescale
     */
    record Edit(long emptyMs, long mediaTime, long duration) {
        Edit {
            if (emptyMs < 0 || mediaTime < 0 || duration < 0) {
                throw new IllegalArgumentException("edit with a negative field: empty " + emptyMs + " ms, media time "
                        + mediaTime + ", duration " + duration + " (expected none negative)");
            }
        }

        /** The track's presentation duration: what tkhd states. */
        long total() {
            return emptyMs + duration;
        }
    }

    /**
     * @param video        the finished video table, or null
     * @param videoFirstMs FLV decode time of the first picture
     * @param audio        the finished audio table, or null
     * @param audioFirstMs FLV time of the first AAC frame
     * @param audioClock   the audio track's sample clock (origin at {@code audioFirstMs})
     */
    Mp4MovieBox(Mp4SampleTable video, long videoFirstMs, List<Mp4VideoConfig> videoConfigs, Mp4SampleTable audio,
            long audioFirstMs, List<Mp4AudioConfig> audioConfigs, Mp4AudioClock audioClock) {
        this.video = video;
        this.videoConfigs = List.copyOf(videoConfigs);
        this.audio = audio;
        this.audioConfigs = List.copyOf(audioConfigs);
        this.audioRate = audio == null ? 0 : audioClock.sampleRate();
        long zeroMs;
        if (video != null) {
            long first = video.minComposition();
            zeroMs = videoFirstMs + Math.floorDiv(first * 1000, Mp4Boxes.VIDEO_TIMESCALE);
            videoEdit = new Edit(0, first + video.compositionShift(),
                    scale(video.maxEnd() - first, Mp4Boxes.VIDEO_TIMESCALE));
        } else {
            zeroMs = audioFirstMs;
            videoEdit = null;
        }
        if (audio != null) {
            long start = audioClock.toSamples(zeroMs); // movie time 0 on the audio clock
            long end = audio.maxEnd();
            audioEdit = start >= 0
                    ? new Edit(0, Math.min(start, end), scale(Math.max(0, end - start), audioRate))
                    : new Edit(audioFirstMs - zeroMs, 0, scale(end, audioRate));
        } else {
            audioEdit = null;
        }
    }

    /**
     * Writes {@code file}: ftyp, this moov, then mdat with the media data copied from {@code payload}.
     *
     * @param co64Threshold chunk offsets from this one on are written as 64 bits (co64) instead of stco
     * @return the file's size
     */
    long writeFile(Path file, Mp4Spool payload, long co64Threshold) throws IOException {
        Mp4BoxWriter ftyp = new Mp4BoxWriter(64);
        Mp4Boxes.ftyp(ftyp, Mp4Boxes.BRAND_ISOM, Mp4Boxes.BRAND_ISOM, Mp4Boxes.BRAND_ISO2, Mp4Boxes.BRAND_AVC1,
                Mp4Boxes.BRAND_MP41);
        long mediaBytes = payload.size();
        boolean largeMdat = mediaBytes + Mp4BoxWriter.HEADER_SIZE > Mp4Boxes.MAX_U32;
        int mdatHeader = largeMdat ? LARGE_HEADER_SIZE : Mp4BoxWriter.HEADER_SIZE;
        // the moov's size depends on the offsets' width only, and the offsets on the moov's size
        Mp4BoxWriter moov = new Mp4BoxWriter(16 * 1024);
        write(moov, 0, false);
        boolean wide = ftyp.position() + moov.position() + mdatHeader + lastChunkOffset() >= co64Threshold;
        if (wide) {
            moov.reset();
            write(moov, 0, true);
        }
        long base = ftyp.position() + moov.position() + mdatHeader;
        moov.reset();
        write(moov, base, wide);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), OUTPUT_BUFFER);
            ftyp.writeTo(out);
            moov.writeTo(out);
            Mp4BoxWriter header = new Mp4BoxWriter(LARGE_HEADER_SIZE);
            if (largeMdat) {
                header.u32(1).u32(Mp4Boxes.MDAT).u64(LARGE_HEADER_SIZE + mediaBytes); // size 1: largesize follows
            } else {
                header.u32(Mp4BoxWriter.HEADER_SIZE + mediaBytes).u32(Mp4Boxes.MDAT);
            }
            header.writeTo(out);
            out.flush();
            payload.transferTo(channel);
            return channel.size();
        }
    }

    /** Writes the moov; {@code base} is the file offset of the media data, {@code wide} selects co64. */
    void write(Mp4BoxWriter w, long base, boolean wide) {
        w.begin(Mp4Boxes.MOOV);
        long duration = Math.max(videoEdit == null ? 0 : videoEdit.total(), audioEdit == null ? 0 : audioEdit.total());
        Mp4Boxes.mvhd(w, duration);
        if (video != null) {
            Mp4VideoConfig first = videoConfigs.get(0);
            w.begin(Mp4Boxes.TRAK);
            Mp4Boxes.tkhd(w, Mp4Boxes.VIDEO_TRACK_ID, videoEdit.total(), false, first.width(), first.height());
            editList(w, videoEdit);
            beginMedia(w, Mp4Boxes.VIDEO_TIMESCALE, video.mediaDuration(), false);
            Mp4Boxes.videoSampleDescriptions(w, videoConfigs);
            video.writeBoxes(w, base, wide);
            w.end().end().end().end(); // stbl, minf, mdia, trak
        }
        if (audio != null) {
            w.begin(Mp4Boxes.TRAK);
            Mp4Boxes.tkhd(w, Mp4Boxes.AUDIO_TRACK_ID, audioEdit.total(), true, 0, 0);
            editList(w, audioEdit);
            beginMedia(w, audioRate, audio.mediaDuration(), true);
            Mp4Boxes.audioSampleDescriptions(w, audioConfigs);
            audio.writeBoxes(w, base, wide);
            w.end().end().end().end();
        }
        w.end();
    }

    private long lastChunkOffset() {
        return Math.max(video == null ? 0 : video.lastChunkOffset(), audio == null ? 0 : audio.lastChunkOffset());
    }

    /** The video track's edit (for tests). */
    Edit videoEdit() {
        return videoEdit;
    }

    /** The audio track's edit (for tests). */
    Edit audioEdit() {
        return audioEdit;
    }

    /** mdia with mdhd and hdlr, minf with its media header and dinf, and an open stbl. */
    private static void beginMedia(Mp4BoxWriter w, int timescale, long duration, boolean audio) {
        w.begin(Mp4Boxes.MDIA);
        Mp4Boxes.mdhd(w, timescale, duration);
        Mp4Boxes.hdlr(w, audio);
        w.begin(Mp4Boxes.MINF);
        Mp4Boxes.mediaHeaderAndDataInformation(w, audio);
        w.begin(Mp4Boxes.STBL);
    }

    /** edts with an elst of the empty edit (when there is one) and the media edit; 64-bit when a value needs it. */
    private static void editList(Mp4BoxWriter w, Edit edit) {
        boolean wide = edit.duration() > Mp4Boxes.MAX_U32 || edit.emptyMs() > Mp4Boxes.MAX_U32
                || edit.mediaTime() > Integer.MAX_VALUE;
        w.begin(Mp4Boxes.EDTS).beginFull(Mp4Boxes.ELST, wide ? 1 : 0, 0).u32(edit.emptyMs() > 0 ? 2 : 1);
        if (edit.emptyMs() > 0) {
            entry(w, wide, edit.emptyMs(), EMPTY_EDIT);
        }
        entry(w, wide, edit.duration(), edit.mediaTime());
        w.end().end();
    }

    private static void entry(Mp4BoxWriter w, boolean wide, long segmentDuration, long mediaTime) {
        if (wide) {
            w.u64(segmentDuration).u64(mediaTime);
        } else {
            w.u32(segmentDuration).u32((int) mediaTime);
        }
        w.u32(MEDIA_RATE_ONE);
    }

    /** {@code ticks} of a {@code timescale} clock in movie timescale units, rounded. */
    private static long scale(long ticks, int timescale) {
        return Math.floorDiv(ticks * Mp4Boxes.MOVIE_TIMESCALE + timescale / 2, timescale);
    }
}
