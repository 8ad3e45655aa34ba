package io.camrelay.media;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a progressive MP4 file (ISO/IEC 14496-12, -14, -15) from the FLV tags a stream route produces: the camera's
 * H.264 untouched, the AAC frames on the same timeline, {@code ftyp} and {@code moov} before {@code mdat} so that
 * browsers, VLC and QuickTime play it while it downloads and can seek (docs/mp4.md).
 *
 * <p>Two passes, so that memory stays flat however long the recording: {@link #write} appends each sample's bytes to
 * a media data spool and its table entries to one spool per table, temp files in the directory the caller gives;
 * {@link #finish} writes {@code ftyp} and {@code moov} (streaming the tables from their spools) to the file and
 * copies the media data behind them. The heap holds the spool buffers, the audio of the current chunk and the
 * decoder configurations, nothing per sample.
 *
 * <p>Input: AVC sequence headers and pictures (the AVCC NAL units after the 5-byte FLV video header, key frames from
 * the FrameType, composition times from the SI24 field), AAC sequence headers and raw frames; script data and AVC
 * end-of-sequence tags are ignored. Pictures before the first key frame are dropped and counted. A changed
 * sequence header adds a sample entry that the following samples use (docs/mp4.md, parameter-set changes).
 *
 * <p>{@link #finish} commits the file; {@link #abort}, or {@link #close} without {@code finish} (an exception in a
 * try-with-resources block), leaves no output file and no temp files. Not thread-safe: one writer per recording,
 * fed from one thread at a time.
 */
public final class Mp4Writer implements Closeable {

    /** A track's chunk ends once it spans this much; then the other track's chunk follows (interleaving). */
    static final long CHUNK_DURATION_MS = 1000;
    /** Audio waits in memory until the video chunk ends; past this many bytes it goes out as its own chunk. */
    static final int MAX_PENDING_AUDIO_BYTES = 64 * 1024;
    /** Chunk offsets from here on need co64 (§8.7.5: stco holds unsigned 32-bit offsets). */
    static final long CO64_THRESHOLD = 1L << 32;
    /** Buffer of the media data spool. */
    static final int PAYLOAD_BUFFER = 64 * 1024;
    /** More sample entries than this in one track means a stream that keeps changing: start a new file. */
    static final int MAX_SAMPLE_ENTRIES = 64;

    private enum State { OPEN, FINISHED, ABORTED }

    private final Path file;
    private final Path tempDir;
    private final long co64Threshold;
    private final Mp4TagReader reader = new Mp4TagReader();
    private final Mp4Spool payload;
    private final VideoTrack video = new VideoTrack();
    private final AudioTrack audio = new AudioTrack();
    private byte[] pendingAudio = new byte[4096];
    private int pendingAudioLength;
    private long droppedPictures;
    private boolean outputStarted;
    private State state = State.OPEN;

    /**
     * Starts a recording that {@link #finish} writes to {@code file}.
     *
     * @param tempDir where the spools live until then; deleted on finish, abort or close
     */
    public Mp4Writer(Path file, Path tempDir) throws IOException {
        this(file, tempDir, CO64_THRESHOLD);
    }

    /** As above; {@code co64Threshold} lets a test force 64-bit chunk offsets without writing 4 GiB. */
    Mp4Writer(Path file, Path tempDir, long co64Threshold) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        this.tempDir = Objects.requireNonNull(tempDir, "tempDir");
        this.co64Threshold = co64Threshold;
        this.payload = Mp4Spool.create(tempDir, "mdat", PAYLOAD_BUFFER);
    }

    /** Writes the tags of one picture in order (what a stream route hands over per picture). */
    public void write(List<FlvTag> tags) throws IOException {
        for (FlvTag tag : tags) {
            write(tag);
        }
    }

    /**
     * Writes one tag.
     *
     * @throws Mp4FormatException for a picture before any AVC sequence header, an AAC frame before any AAC sequence
     *                            header, a video tag that is not AVC, an audio tag that is not AAC, a malformed
     *                            configuration, or a timestamp going backwards; the tag changes nothing
     */
    public void write(FlvTag tag) throws IOException {
        requireOpen();
        switch (reader.read(tag)) {
            case IGNORED -> { }
            case VIDEO_CONFIG -> video.configure(reader.videoConfig());
            case AUDIO_CONFIG -> audio.configure(reader.audioConfig(), tag.timestamp());
            case VIDEO_SAMPLE -> writePicture(tag);
            case AUDIO_SAMPLE -> writeAudioFrame(tag);
        }
    }

    /**
     * Writes the file: {@code ftyp}, {@code moov}, {@code mdat}; then deletes the temp files.
     *
     * @return the file's size in bytes
     * @throws Mp4FormatException when nothing was written (no picture, no audio frame); the writer is aborted
     */
    public long finish() throws IOException {
        requireOpen();
        try {
            if (video.table == null && audio.table == null) {
                throw new Mp4FormatException("nothing to write to " + file + ": no picture and no audio frame");
            }
            flushAudio();
            video.closeChunk();
            if (video.table != null) {
                video.table.finish(video.lastDuration());
            }
            if (audio.table != null) {
                audio.table.finish(audio.frameLength());
            }
            Mp4MovieBox movie = new Mp4MovieBox(video.table, video.firstMs, video.configs, audio.table,
                    audio.firstMs, audio.configs, audio.clock);
            outputStarted = true;
            long size = movie.writeFile(file, payload, co64Threshold);
            state = State.FINISHED;
            return size;
        } catch (IOException | RuntimeException e) {
            abortQuietly(e);
            throw e;
        } finally {
            if (state == State.FINISHED) {
                deleteTempFiles();
            }
        }
    }

    /** Gives the recording up: deletes the temp files and any output; never throws. */
    public void abort() {
        if (state == State.OPEN) {
            abortQuietly(null);
        }
    }

    /** Aborts unless {@link #finish} was called: only a finished writer leaves a file. */
    @Override
    public void close() {
        abort();
    }

    /** Pictures written. */
    public long videoSamples() {
        return video.table == null ? 0 : video.table.samples();
    }

    /** AAC frames written. */
    public long audioSamples() {
        return audio.table == null ? 0 : audio.table.samples();
    }

    /** Pictures dropped because no key frame had been written yet. */
    public long droppedPictures() {
        return droppedPictures;
    }

    /** Bytes of media data so far (the file's mdat payload). */
    public long payloadBytes() {
        return payload.size() + pendingAudioLength;
    }

    /** Heap the writer holds for its bookkeeping and buffers, bytes; does not grow with the recording. */
    long heldBytes() {
        long held = payload.heldBytes() + pendingAudio.length;
        for (Track<?> t : List.of(video, audio)) {
            held += t.table == null ? 0 : t.table.heldBytes();
            held += t.configBytes;
        }
        return held;
    }

    /** The temp files in use (for tests that look for leftovers). */
    List<Path> tempFiles() {
        List<Path> files = new ArrayList<>(List.of(payload.file()));
        for (Track<?> t : List.of(video, audio)) {
            if (t.table != null) {
                files.addAll(List.of(t.table.files()));
            }
        }
        return files;
    }

    private void writePicture(FlvTag tag) throws IOException {
        long ms = tag.timestamp();
        if (video.configs.isEmpty()) {
            throw new Mp4FormatException("picture at " + ms + " ms comes before any AVC sequence header (expected "
                    + "the sequence header first)");
        }
        boolean key = reader.keyFrame();
        if (video.table == null && !key) {
            droppedPictures++;
            return;
        }
        if (video.table != null && ms <= video.lastMs) {
            throw new Mp4FormatException("picture timestamp " + ms + " ms does not increase (expected more than the "
                    + "previous picture's " + video.lastMs + " ms)");
        }
        if (video.table == null) {
            video.start(ms);
        }
        if (video.chunkOpen && (video.chunkDescription != video.description
                || ms - video.chunkFirstMs >= CHUNK_DURATION_MS)) {
            flushAudio(); // this chunk's audio goes right after it
            video.closeChunk();
        }
        if (!video.chunkOpen) {
            video.openChunk(payload.size(), ms);
        }
        int offset = reader.payloadOffset();
        int size = tag.size() - offset;
        tag.writeBody(offset, size, payload::put); // a picture's NAL units from where its tag holds them
        video.table.add(ms - video.firstMs, reader.compositionTime(), key, size);
        video.previousMs = video.lastMs;
        video.lastMs = ms;
    }

    private void writeAudioFrame(FlvTag tag) throws IOException {
        long ms = tag.timestamp();
        if (audio.configs.isEmpty()) {
            throw new Mp4FormatException("AAC frame at " + ms + " ms comes before any AAC sequence header (expected "
                    + "the AudioSpecificConfig first)");
        }
        if (audio.table == null) {
            audio.start(ms);
        }
        long position = audio.clock.position(ms, audio.frameLength());
        if (pendingAudioLength > 0 && audio.chunkDescription != audio.description) {
            flushAudio();
        }
        byte[] body = tag.bodyUnsafe();
        int offset = reader.payloadOffset();
        int size = body.length - offset;
        if (pendingAudioLength + size > pendingAudio.length) {
            pendingAudio = Arrays.copyOf(pendingAudio,
                    Math.max(pendingAudioLength + size, Math.min(2 * pendingAudio.length, MAX_PENDING_AUDIO_BYTES)));
        }
        System.arraycopy(body, offset, pendingAudio, pendingAudioLength, size);
        pendingAudioLength += size;
        audio.chunkDescription = audio.description;
        audio.table.add(position, 0, true, size);
        if (pendingAudioLength >= MAX_PENDING_AUDIO_BYTES) {
            flushAudio();
        }
    }

    /** Writes the pending audio as one chunk, which ends the open video chunk. */
    private void flushAudio() throws IOException {
        if (pendingAudioLength == 0) {
            return;
        }
        video.closeChunk();
        long offset = payload.size();
        payload.put(pendingAudio, 0, pendingAudioLength);
        audio.table.closeChunk(offset, audio.chunkDescription);
        pendingAudioLength = 0;
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("the MP4 writer for " + file + " is " + state.name().toLowerCase(Locale.ROOT));
        }
    }

    private void abortQuietly(Exception cause) {
        state = State.ABORTED;
        deleteTempFiles();
        if (!outputStarted) {
            return; // a file already at that path is not ours to delete
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }

    private void deleteTempFiles() {
        for (Closeable c : new Closeable[] {payload, video.table, audio.table}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    // a temp file that cannot be deleted is left to the directory's owner; the recording is done
                }
            }
        }
    }

    /** What a track keeps while it is written. */
    private abstract class Track<C> {
        final List<C> configs = new ArrayList<>();
        Mp4SampleTable table;
        long firstMs;
        long lastMs;
        int description; // 1-based index of the sample entry of the next sample
        int chunkDescription;
        long configBytes;

        /** Selects the sample entry for {@code config}, adding one when it is new. */
        void select(C config, int bytes) {
            int known = configs.indexOf(config);
            if (known < 0) {
                if (configs.size() == MAX_SAMPLE_ENTRIES) {
                    throw new Mp4FormatException(String.format(Locale.ROOT, "decoder configuration change number %d "
                            + "in one file (expected at most %d: start a new file)", configs.size(),
                            MAX_SAMPLE_ENTRIES - 1));
                }
                configs.add(config);
                configBytes += bytes;
                known = configs.size() - 1;
            }
            description = known + 1;
        }

        void start(long ms, String name) throws IOException {
            table = Mp4SampleTable.create(tempDir, name);
            firstMs = ms;
        }
    }

    private final class VideoTrack extends Track<Mp4VideoConfig> {
        long previousMs = -1;
        boolean chunkOpen;
        long chunkOffset;
        long chunkFirstMs;

        void configure(Mp4VideoConfig config) {
            select(config, config.recordUnsafe().length);
        }

        void start(long ms) throws IOException {
            start(ms, "video");
        }

        void openChunk(long offset, long ms) {
            chunkOpen = true;
            chunkOffset = offset;
            chunkFirstMs = ms;
            chunkDescription = description;
        }

        void closeChunk() throws IOException {
            if (chunkOpen) {
                table.closeChunk(chunkOffset, chunkDescription);
                chunkOpen = false;
            }
        }

        /** The last picture lasts as long as the one before it, or the default frame interval when it is alone. */
        long lastDuration() {
            return previousMs >= 0 ? lastMs - previousMs : Math.round(Timeline.DEFAULT_INTERVAL_MS);
        }
    }

    private final class AudioTrack extends Track<Mp4AudioConfig> {
        Mp4AudioClock clock;

        void configure(Mp4AudioConfig config, long ms) {
            if (!configs.isEmpty() && config.sampleRate() != configs.get(0).sampleRate()) {
                throw new Mp4FormatException(String.format(Locale.ROOT, "AAC sample rate changes from %d to %d Hz at "
                        + "%d ms (expected one rate per file: the track's timescale)", configs.get(0).sampleRate(),
                        config.sampleRate(), ms));
            }
            select(config, config.ascUnsafe().length);
        }

        void start(long ms) throws IOException {
            start(ms, "audio");
            clock = new Mp4AudioClock(ms, configs.get(0).sampleRate());
        }

        int frameLength() {
            return configs.get(description - 1).samplesPerFrame();
        }
    }
}
