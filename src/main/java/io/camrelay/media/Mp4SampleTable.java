package io.camrelay.media;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * One track's sample tables for the progressive MP4 writer (ISO/IEC 14496-12 §8.6–§8.7), built while the recording
 * is written: each table is spooled to its own temp file in the final byte form of its box's entries, runs
 * (stts, ctts, stsc) compressed as they close. What stays in memory is one open run per table and a few counters,
 * so the heap does not grow with the recording (docs/mp4.md). Chunk offsets are spooled relative to the media data
 * and rebased, as 32 or 64 bits, when the boxes are written.
 */
final class Mp4SampleTable implements Closeable {

    /** Buffer of each table spool: the tables grow by 4–12 bytes per sample or chunk. */
    static final int SPOOL_BUFFER = 4 * 1024;
    /** Bytes of one stts or ctts entry: sample_count, sample_delta or sample_offset (§8.6.1.2, §8.6.1.3). */
    static final int RUN_ENTRY_SIZE = 8;
    /** Bytes of one stsc entry: first_chunk, samples_per_chunk, sample_description_index (§8.7.4). */
    static final int STSC_ENTRY_SIZE = 12;

    private final Mp4Spool stts;
    private final Mp4Spool ctts;
    private final Mp4Spool stss;
    private final Mp4Spool stsz;
    private final Mp4Spool stsc;
    private final Mp4Spool chunkOffsets;

    private long samples;
    private long previousDecode;
    private long previousComposition;
    private long lastDelta = -1;
    private long sttsRunCount;
    private long sttsRunDelta = -1;
    private long sttsEntries;
    private long cttsRunCount;
    private int cttsRunOffset;
    private long cttsEntries;
    private int minOffset = Integer.MAX_VALUE;
    private boolean offsetsNonZero;
    private long minComposition = Long.MAX_VALUE;
    private long maxEnd = Long.MIN_VALUE;
    private long syncSamples;
    private int firstSize = -1;
    private boolean sameSize = true;
    private long chunks;
    private long lastChunkOffset;
    private int samplesInChunk;
    private int stscRunSamples = -1;
    private int stscRunDescription = -1;
    private long stscEntries;
    private boolean finished;

    private Mp4SampleTable(Mp4Spool[] spools) {
        stts = spools[0];
        ctts = spools[1];
        stss = spools[2];
        stsz = spools[3];
        stsc = spools[4];
        chunkOffsets = spools[5];
    }

    /** A table whose spools are temp files in {@code dir}, named after {@code track}. */
    static Mp4SampleTable create(Path dir, String track) throws IOException {
        String[] names = {"stts", "ctts", "stss", "stsz", "stsc", "stco"};
        Mp4Spool[] spools = new Mp4Spool[names.length];
        try {
            for (int i = 0; i < names.length; i++) {
                spools[i] = Mp4Spool.create(dir, track + "." + names[i], SPOOL_BUFFER);
            }
        } catch (IOException | RuntimeException e) {
            for (Mp4Spool s : spools) {
                closeQuietly(s, e);
            }
            throw e;
        }
        return new Mp4SampleTable(spools);
    }

    /**
     * Adds the next sample in decode order.
     *
     * @param decodeTime        its decode time in the track's timescale, from 0, greater than the previous one's
     * @param compositionOffset its composition time minus decode time, may be negative
     * @param sync              a sync sample (key frame)
     * @param size              its bytes in the media data
     */
    void add(long decodeTime, int compositionOffset, boolean sync, int size) throws IOException {
        if (samples > 0) {
            commitDuration(decodeTime - previousDecode);
        }
        samples++;
        samplesInChunk++;
        previousDecode = decodeTime;
        previousComposition = decodeTime + compositionOffset;
        minComposition = Math.min(minComposition, previousComposition);
        if (cttsRunCount > 0 && compositionOffset != cttsRunOffset) {
            flushCttsRun();
        }
        cttsRunOffset = compositionOffset;
        cttsRunCount++;
        minOffset = Math.min(minOffset, compositionOffset);
        offsetsNonZero |= compositionOffset != 0;
        if (sync) {
            stss.putInt((int) samples); // sample_number, 1-based
            syncSamples++;
        }
        stsz.putInt(size);
        if (firstSize < 0) {
            firstSize = size;
        } else {
            sameSize &= size == firstSize;
        }
    }

    /** Ends the chunk holding the samples added since the last one; it starts at {@code offset} in the media data. */
    void closeChunk(long offset, int sampleDescriptionIndex) throws IOException {
        if (samplesInChunk == 0) {
            return;
        }
        chunks++;
        chunkOffsets.putLong(offset);
        lastChunkOffset = offset;
        if (samplesInChunk != stscRunSamples || sampleDescriptionIndex != stscRunDescription) {
            stsc.putInt((int) chunks); // first_chunk, 1-based
            stsc.putInt(samplesInChunk);
            stsc.putInt(sampleDescriptionIndex);
            stscEntries++;
            stscRunSamples = samplesInChunk;
            stscRunDescription = sampleDescriptionIndex;
        }
        samplesInChunk = 0;
    }

    /** Closes the open runs; the last sample lasts {@code lastDuration} (it has no successor to say). */
    void finish(long lastDuration) throws IOException {
        if (finished || samples == 0) {
            finished = true;
            return;
        }
        if (samplesInChunk > 0) {
            throw new IllegalStateException(samplesInChunk + " samples are in no chunk");
        }
        commitDuration(lastDuration);
        if (sttsRunCount > 0) {
            stts.putInt((int) sttsRunCount);
            stts.putInt((int) sttsRunDelta);
            sttsEntries++;
        }
        flushCttsRun();
        finished = true;
    }

    /**
     * Writes stts, ctts (when any offset is not 0), stss (when not every sample is a sync sample), stsz, stsc and
     * stco or co64 into {@code w}, which must have the stbl open and its stsd written.
     *
     * @param base the file offset of the media data's first byte, added to every chunk offset
     * @param wide co64 (64-bit offsets) instead of stco
     */
    void writeBoxes(Mp4BoxWriter w, long base, boolean wide) {
        requireFinished();
        w.beginFull(Mp4Boxes.STTS, 0, 0).u32(sttsEntries).external(sttsEntries * RUN_ENTRY_SIZE, stts::copyTo).end();
        if (offsetsNonZero) {
            int shift = compositionShift();
            w.beginFull(Mp4Boxes.CTTS, 0, 0).u32(cttsEntries)
                    .external(cttsEntries * RUN_ENTRY_SIZE, out -> copyShifted(out, shift)).end();
        }
        if (syncSamples < samples) {
            w.beginFull(Mp4Boxes.STSS, 0, 0).u32(syncSamples).external(syncSamples * 4, stss::copyTo).end();
        }
        w.beginFull(Mp4Boxes.STSZ, 0, 0);
        if (sameSize) {
            w.u32(firstSize).u32(samples); // sample_size: every sample has this size, no entries follow
        } else {
            w.u32(0).u32(samples).external(samples * 4, stsz::copyTo);
        }
        w.end();
        w.beginFull(Mp4Boxes.STSC, 0, 0).u32(stscEntries).external(stscEntries * STSC_ENTRY_SIZE, stsc::copyTo)
                .end();
        w.beginFull(wide ? Mp4Boxes.CO64 : Mp4Boxes.STCO, 0, 0).u32(chunks)
                .external(chunks * (wide ? 8 : 4), out -> copyOffsets(out, base, wide)).end();
    }

    /** Samples added. */
    long samples() {
        return samples;
    }

    /** Chunks closed. */
    long chunks() {
        return chunks;
    }

    /** The media data offset of the last chunk: the largest chunk offset. */
    long lastChunkOffset() {
        return lastChunkOffset;
    }

    /** The sum of the sample durations (mdhd duration), after {@link #finish}. */
    long mediaDuration() {
        requireFinished();
        return previousDecode + lastDelta;
    }

    /**
     * What ctts adds to every offset so that none is negative (version 0 holds unsigned offsets, which every player
     * reads); the edit list takes it out again.
     */
    int compositionShift() {
        return offsetsNonZero ? Math.max(0, -minOffset) : 0;
    }

    /** The earliest composition time (decode time + offset, before the shift). */
    long minComposition() {
        return minComposition;
    }

    /** The latest end of a sample in composition time (composition time + duration), after {@link #finish}. */
    long maxEnd() {
        requireFinished();
        return maxEnd;
    }

    /** Heap held: the spool buffers. */
    long heldBytes() {
        return 6L * SPOOL_BUFFER;
    }

    /** The spool files (for tests that look for leftovers). */
    Path[] files() {
        return new Path[] {stts.file(), ctts.file(), stss.file(), stsz.file(), stsc.file(), chunkOffsets.file()};
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Mp4Spool s : new Mp4Spool[] {stts, ctts, stss, stsz, stsc, chunkOffsets}) {
            try {
                s.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void commitDuration(long delta) throws IOException {
        if (delta < 0 || delta > Mp4Boxes.MAX_U32) {
            throw new Mp4FormatException("sample duration " + delta + " does not fit stts (expected 0.."
                    + Mp4Boxes.MAX_U32 + " in the track's timescale)");
        }
        maxEnd = Math.max(maxEnd, previousComposition + delta);
        lastDelta = delta;
        if (sttsRunCount > 0 && delta != sttsRunDelta) {
            stts.putInt((int) sttsRunCount);
            stts.putInt((int) sttsRunDelta);
            sttsEntries++;
            sttsRunCount = 0;
        }
        sttsRunDelta = delta;
        sttsRunCount++;
    }

    private void flushCttsRun() throws IOException {
        if (cttsRunCount > 0) {
            ctts.putInt((int) cttsRunCount);
            ctts.putInt(cttsRunOffset);
            cttsEntries++;
            cttsRunCount = 0;
        }
    }

    private void copyShifted(OutputStream out, int shift) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        try (DataInputStream in = ctts.reader()) {
            for (long i = 0; i < cttsEntries; i++) {
                data.writeInt(in.readInt());
                data.writeInt(in.readInt() + shift);
            }
        }
        data.flush();
    }

    private void copyOffsets(OutputStream out, long base, boolean wide) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        try (DataInputStream in = chunkOffsets.reader()) {
            for (long i = 0; i < chunks; i++) {
                long offset = base + in.readLong();
                if (wide) {
                    data.writeLong(offset);
                } else if (offset > Mp4Boxes.MAX_U32) {
                    throw new IllegalStateException("chunk offset " + offset + " does not fit stco");
                } else {
                    data.writeInt((int) offset);
                }
            }
        }
        data.flush();
    }

    private void requireFinished() {
        if (!finished) {
            throw new IllegalStateException("sample table not finished");
        }
    }

    private static void closeQuietly(Mp4Spool spool, Exception into) {
        if (spool != null) {
            try {
                spool.close();
            } catch (IOException e) {
                into.addSuppressed(e);
            }
        }
    }
}
