package io.camrelay.streams;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A destination that records into FLV files (docs/design.md §7a: recordings are never destroyed). The configured
 * path names the recording: each file is {@code <name>-<UTC time>.flv} beside it ({@code output/lobby.flv} records
 * {@code output/lobby-20261121T100000Z.flv}), a new one per start, never truncating one that exists. A file begins at
 * a key frame with the metadata and sequence headers, its timestamps from 0, and is ended by the AVC end-of-sequence
 * tag; a new file begins at the first key frame past {@code maxSize} bytes or {@code maxDuration} of media, and long
 * before FLV's signed 32-bit timestamps run out ({@link FileRecorder#MAX_FILE_SPAN_MS}). A write error (a full disk)
 * ends the file where it last flushed, shows through the {@link Listener} and {@link #lastError()}, and a new file is
 * tried at a key frame every {@link FileRecorder#RETRY_MS} ms until the disk takes it again: no restart needed.
 *
 * <p>Each body ({@code List<FlvTag>} or one {@link FlvTag}) is handed to the destination's own writer thread, which
 * does all file work; stream routes run on the ImageServer consumer's Netty event loop, which other cameras share, so
 * {@link #process} and {@link #write} never touch the disk: they queue (bounded) and return. When the disk falls
 * behind by {@link #DEFAULT_QUEUE_CAPACITY} messages, new video is dropped up to the next key frame, so the file stays
 * decodable; drops are counted. As a {@link org.apache.camel.Service} used in {@code .process(...)} it starts and
 * stops with its route.
 */
public final class FlvFileDestination extends ServiceSupport implements Processor {

    /** Messages the writer may fall behind by: 10 s of a 25 fps camera. */
    static final int DEFAULT_QUEUE_CAPACITY = 250;
    /** How long stopping waits for the writer to write what is queued. */
    static final long STOP_TIMEOUT_MS = 5_000;

    /** Opens a new file's output (it must not exist); a seam for tests of slow and full disks. */
    @FunctionalInterface
    interface Opener {
        OutputStream open(Path file) throws IOException;

        /** Creates the file, refusing one that exists: a recording is never overwritten. */
        Opener CREATE_NEW = f -> Files.newOutputStream(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Told what the writer thread does; called on that thread. */
    public interface Listener {
        /** A new file was started (and its predecessor, if any, ended). */
        void fileStarted(Path file);

        /** Writing failed for {@code reason} (with the file and the fix); retried at the next key frame. */
        void failed(String reason);

        /** Nobody listens. */
        Listener NONE = new Listener() {
            @Override
            public void fileStarted(Path file) {
            }

            @Override
            public void failed(String reason) {
            }
        };
    }

    /** Marks the end of the queue (compared by identity). */
    private static final List<FlvTag> END = new ArrayList<>(0);

    private final Path file;
    private final int capacity;
    private final Opener opener;
    private final Clock clock;
    private final long maxSize;
    private final Duration maxDuration;
    private final Listener listener;
    private final AtomicLong tagsWritten = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile BlockingQueue<List<FlvTag>> queue;
    private volatile FileRecorder recorder;
    private Thread writer;
    /** After an overflow: drop video until a key frame. Touched by the caller's thread only. */
    private boolean skipVideoUntilKeyFrame;

    /** Records as {@code file} names, without size or duration limits. */
    public FlvFileDestination(Path file) {
        this(file, 0, null, Listener.NONE);
    }

    /** Records as the file at {@code path} (relative to the working directory) names, for YAML bean definitions. */
    public FlvFileDestination(String path) {
        this(Path.of(path));
    }

    /**
     * Records as {@code file} names.
     *
     * @param maxSize     start a new file at the first key frame past this many bytes; 0: no limit
     * @param maxDuration start a new file at the first key frame past this much media; null: no limit
     * @param listener    told of new files and failures (on the writer thread)
     */
    public FlvFileDestination(Path file, long maxSize, Duration maxDuration, Listener listener) {
        this(file, DEFAULT_QUEUE_CAPACITY, Opener.CREATE_NEW, Clock.systemUTC(), maxSize, maxDuration, listener);
    }

    FlvFileDestination(Path file, int capacity, Opener opener) {
        this(file, capacity, opener, Clock.systemUTC(), 0, null, Listener.NONE);
    }

    FlvFileDestination(Path file, int capacity, Opener opener, Clock clock, long maxSize, Duration maxDuration,
                       Listener listener) {
        this.file = Objects.requireNonNull(file, "file");
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.opener = Objects.requireNonNull(opener, "opener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSize = maxSize;
        this.maxDuration = maxDuration;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The path that names the recording (as configured). */
    public Path file() {
        return file;
    }

    /** The file being written now, or null (none started yet, or after a failure). */
    public Path currentFile() {
        FileRecorder r = recorder;
        return r == null ? null : r.currentFile();
    }

    /** Files started since start. */
    public long filesStarted() {
        FileRecorder r = recorder;
        return r == null ? 0 : r.filesStarted();
    }

    /** Why writing last failed (file, reason and the fix), or null while it works. */
    public String lastError() {
        FileRecorder r = recorder;
        return r == null ? null : r.failure();
    }

    /** Tags written to the files since start. */
    public long tagsWritten() {
        return tagsWritten.get();
    }

    /** Tags dropped since start because the disk fell behind. */
    public long droppedFrames() {
        return dropped.get();
    }

    /** Messages waiting for the writer. */
    int queuedMessages() {
        BlockingQueue<List<FlvTag>> q = queue;
        return q == null ? 0 : q.size();
    }

    @Override
    protected synchronized void doStart() {
        tagsWritten.set(0);
        dropped.set(0);
        skipVideoUntilKeyFrame = false;
        BlockingQueue<List<FlvTag>> q = new ArrayBlockingQueue<>(capacity);
        FileRecorder r = new FileRecorder(file, opener, clock, maxSize, maxDuration, listener, tagsWritten);
        queue = q;
        recorder = r;
        writer = new Thread(() -> r.run(q, END), "camrelay-flv-" + file.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues the body ({@code List<FlvTag>} or one {@link FlvTag}) for writing and returns at once.
     *
     * @throws IllegalStateException when not started
     */
    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof FlvTag tag) {
            write(List.of(tag));
        } else if (body instanceof List<?> list) {
            write(SilentAudioProcessor.tags(list));
        } else {
            throw new IllegalArgumentException("FLV file destination " + file + " expects a List<FlvTag> body, got "
                    + (body == null ? "null" : body.getClass().getName()));
        }
    }

    /**
     * Queues {@code tags} for writing and returns at once; past the queue's capacity video is dropped up to the next
     * key frame. Write errors never come back here: they show in {@link #lastError()} and the listener.
     *
     * @throws IllegalStateException when not started
     */
    public void write(List<FlvTag> tags) {
        BlockingQueue<List<FlvTag>> q = queue;
        if (q == null) {
            throw new IllegalStateException("FLV file destination " + file + " is not started");
        }
        List<FlvTag> kept = skipVideoUntilKeyFrame ? resumeAtKeyFrame(tags) : tags;
        if (!kept.isEmpty() && !q.offer(kept)) {
            dropped.addAndGet(kept.size());
            skipVideoUntilKeyFrame = true;
        }
    }

    /** The tags to keep while waiting for a key frame: audio, sequence headers, and video from a key frame on. */
    private List<FlvTag> resumeAtKeyFrame(List<FlvTag> tags) {
        List<FlvTag> kept = new ArrayList<>(tags.size());
        for (FlvTag tag : tags) {
            boolean picture = tag.type() == FlvTagType.VIDEO && !tag.sequenceHeader();
            if (picture && tag.keyFrame()) {
                skipVideoUntilKeyFrame = false;
            }
            if (picture && skipVideoUntilKeyFrame) {
                dropped.incrementAndGet();
            } else {
                kept.add(tag);
            }
        }
        return kept;
    }

    @Override
    protected synchronized void doStop() throws IOException {
        BlockingQueue<List<FlvTag>> q = queue;
        Thread w = writer;
        if (q == null || w == null) {
            return;
        }
        queue = null;
        writer = null;
        try {
            // END must get in even when the queue is full: the writer is draining it
            if (!q.offer(END, STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                w.interrupt();
            }
            w.join(STOP_TIMEOUT_MS);
            if (w.isAlive()) {
                w.interrupt();
                throw new IOException("FLV file " + file + " was not written within " + STOP_TIMEOUT_MS
                        + " ms of stopping; the disk is too slow");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            w.interrupt();
        }
    }
}
