package io.camrelay.streams;

import io.camrelay.media.AvcTagger;
import io.camrelay.media.FlvFileWriter;
import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A stream route's destination that records into an FLV file: each body ({@code List<FlvTag>} or one
 * {@link FlvTag}) is handed to the destination's own writer thread and appended there, flushed whenever the writer
 * catches up. Stream routes run on the ImageServer consumer's Netty event loop, which other cameras share, so
 * {@link #process} never touches the disk: it queues (bounded) and returns. When the disk falls behind by
 * {@link #DEFAULT_QUEUE_CAPACITY} messages, new video is dropped up to the next key frame, so the file stays
 * decodable; drops are counted. Starting creates the parent directories and truncates the file; stopping writes
 * what is queued, the AVC end-of-sequence tag, and closes it. As a {@link org.apache.camel.Service} used in
 * {@code .process(...)} it starts and stops with its route. One instance per route and file.
 */
public final class FlvFileDestination extends ServiceSupport implements Processor {

    /** Write buffer: a few pictures of 1080p. */
    static final int BUFFER_SIZE = 256 * 1024;
    /** Messages the writer may fall behind by: 10 s of a 25 fps camera. */
    static final int DEFAULT_QUEUE_CAPACITY = 250;
    /** How long stopping waits for the writer to write what is queued. */
    static final long STOP_TIMEOUT_MS = 5_000;

    /** Opens the file's output; a seam for tests that need a slow disk. */
    @FunctionalInterface
    interface Opener {
        OutputStream open(Path file) throws IOException;
    }

    /** Marks the end of the queue (compared by identity). */
    private static final List<FlvTag> END = new ArrayList<>(0);

    private final Path file;
    private final int capacity;
    private final Opener opener;
    private final AtomicLong tagsWritten = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile BlockingQueue<List<FlvTag>> queue;
    private volatile IOException failure;
    private Thread writer;
    /** After an overflow: drop video until a key frame. Touched by the route's thread only. */
    private boolean skipVideoUntilKeyFrame;

    /** Records into {@code file}. */
    public FlvFileDestination(Path file) {
        this(file, DEFAULT_QUEUE_CAPACITY, f -> Files.newOutputStream(f, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    }

    /** Records into the file at {@code path} (relative to the working directory), for YAML bean definitions. */
    public FlvFileDestination(String path) {
        this(Path.of(path));
    }

    FlvFileDestination(Path file, int capacity, Opener opener) {
        this.file = java.util.Objects.requireNonNull(file, "file");
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.opener = opener;
    }

    /** The file written to. */
    public Path file() {
        return file;
    }

    /** Tags written to the file since start. */
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
    protected synchronized void doStart() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FlvFileWriter out = new FlvFileWriter(new BufferedOutputStream(opener.open(file), BUFFER_SIZE));
        tagsWritten.set(0);
        dropped.set(0);
        failure = null;
        skipVideoUntilKeyFrame = false;
        BlockingQueue<List<FlvTag>> q = new ArrayBlockingQueue<>(capacity);
        queue = q;
        writer = new Thread(() -> writeLoop(q, out), "camrelay-flv-" + file.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues the body ({@code List<FlvTag>} or one {@link FlvTag}) for writing and returns at once.
     *
     * @throws IllegalStateException when not started
     * @throws IOException           the writer's error, once the file could not be written
     */
    @Override
    public void process(Exchange exchange) throws Exception {
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
     * key frame.
     *
     * @throws IllegalStateException when not started
     * @throws IOException           the writer's error, once the file could not be written
     */
    public void write(List<FlvTag> tags) throws IOException {
        BlockingQueue<List<FlvTag>> q = queue;
        if (q == null) {
            throw new IllegalStateException("FLV file destination " + file + " is not started");
        }
        IOException failed = failure;
        if (failed != null) {
            throw new IOException("cannot write " + file + ": " + failed.getMessage(), failed);
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

    private void writeLoop(BlockingQueue<List<FlvTag>> q, FlvFileWriter out) {
        long lastVideoTimestamp = -1;
        try (out) {
            while (true) {
                List<FlvTag> tags = q.take();
                if (tags == END) {
                    break;
                }
                if (failure != null) {
                    continue; // keep draining so the route's offers never pile up
                }
                try {
                    for (FlvTag tag : tags) {
                        out.write(tag);
                        tagsWritten.incrementAndGet();
                        if (tag.type() == FlvTagType.VIDEO) {
                            lastVideoTimestamp = tag.timestamp();
                        }
                    }
                    if (q.isEmpty()) {
                        out.flush();
                    }
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (failure == null && lastVideoTimestamp >= 0) {
                out.write(AvcTagger.endOfSequence(lastVideoTimestamp));
            }
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
