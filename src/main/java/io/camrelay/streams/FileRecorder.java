package io.camrelay.streams;

import io.camrelay.media.AvcTagger;
import io.camrelay.media.FlvFileWriter;
import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread of an {@link FlvFileDestination}: takes tag lists off its queue and writes them into one file
 * after another (docs/design.md §7a). It caches the latest metadata and sequence headers, so each file begins with
 * them at a key frame, timestamps rebased to 0; it starts a new file at the first key frame past the size, duration
 * or timestamp limit; after a write error it cuts the file back to where it last flushed (a whole tag) and tries a
 * new file at a key frame every {@value #RETRY_MS} ms. Every field but the volatile ones is the writer thread's.
 */
final class FileRecorder {

    /** Write buffer: a few pictures of 1080p. */
    static final int BUFFER_SIZE = 256 * 1024;
    /** After a write error, a new file is tried at a key frame this often. */
    static final long RETRY_MS = 2_000;
    /**
     * FLV timestamps are SI32 ms (FLV 10.1 §E.4.1, and OBS clears bit 31, docs/protocols.md A9): a file starts anew at
     * the first key frame past 2^31 ms less an hour, long before they run out.
     */
    static final long MAX_FILE_SPAN_MS = Integer.MAX_VALUE - 3_600_000L;
    /** {@code <name>-<UTC time>.flv}: second resolution, sorted by name as by time. */
    static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String SUFFIX = ".flv";
    /** Audio frames kept for a file that starts at the next key frame. */
    private static final int RECENT_AUDIO = 8;

    private static final Logger LOG = LoggerFactory.getLogger(FileRecorder.class);

    private final Path name;
    private final FlvFileDestination.Opener opener;
    private final Clock clock;
    private final long maxSize;
    private final Duration maxDuration;
    private final FlvFileDestination.Listener listener;
    private final AtomicLong tagsWritten;
    private volatile Path current;
    private volatile String failure;
    private volatile long filesStarted;
    private FlvFileWriter out;
    /** Bytes of the current file known to be written whole: where to cut it back after a write error. */
    private long flushedBytes;
    private long base;
    private long lastVideo = -1;
    private long retryAtNanos;
    private FlvTag metadata;
    private FlvTag avcHeader;
    private FlvTag aacHeader;
    /**
     * The last audio frames: the silent track is interleaved by timestamp, so the frame of a key frame's instant
     * comes just before it and belongs in a file that starts at that key frame too.
     */
    private final java.util.ArrayDeque<FlvTag> recentAudio = new java.util.ArrayDeque<>(RECENT_AUDIO);

    FileRecorder(Path name, FlvFileDestination.Opener opener, Clock clock, long maxSize, Duration maxDuration,
                 FlvFileDestination.Listener listener, AtomicLong tagsWritten) {
        this.name = name;
        this.opener = opener;
        this.clock = clock;
        this.maxSize = maxSize;
        this.maxDuration = maxDuration;
        this.listener = listener;
        this.tagsWritten = tagsWritten;
    }

    Path currentFile() {
        return current;
    }

    String failure() {
        return failure;
    }

    long filesStarted() {
        return filesStarted;
    }

    /** The writer thread: until {@code end} comes off the queue. */
    void run(BlockingQueue<List<FlvTag>> queue, List<FlvTag> end) {
        try {
            while (true) {
                List<FlvTag> tags = queue.take();
                if (tags == end) {
                    break;
                }
                for (FlvTag tag : tags) {
                    accept(tag);
                }
                if (out != null && queue.isEmpty()) {
                    flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeFile();
        }
    }

    private void accept(FlvTag tag) {
        boolean picture = tag.type() == FlvTagType.VIDEO && !tag.sequenceHeader();
        if (tag.type() == FlvTagType.SCRIPT) {
            metadata = tag;
        } else if (tag.sequenceHeader()) {
            if (tag.type() == FlvTagType.VIDEO) {
                avcHeader = tag;
            } else {
                aacHeader = tag;
            }
        } else if (tag.type() == FlvTagType.AUDIO) {
            if (recentAudio.size() == RECENT_AUDIO) {
                recentAudio.removeFirst();
            }
            recentAudio.addLast(tag);
        } else if (picture && tag.keyFrame() && (out == null ? mayRetry() : full(tag))) {
            closeFile();
            openFile(tag);
        }
        if (out == null || tag.timestamp() < base || tag.timestamp() - base > Integer.MAX_VALUE) {
            return; // no file yet (waiting for a key frame), audio from before the file's key frame, or no room
        }
        try {
            out.write(tag.withTimestamp(tag.timestamp() - base));
            tagsWritten.incrementAndGet();
            if (tag.type() == FlvTagType.VIDEO) {
                lastVideo = tag.timestamp();
            }
        } catch (IOException e) {
            failed(e);
        }
    }

    /** Whether the current file is past a limit at key frame {@code key}. */
    private boolean full(FlvTag key) {
        long span = key.timestamp() - base;
        return (maxSize > 0 && out.bytesWritten() >= maxSize) || (maxDuration != null && span >= maxDuration.toMillis())
                || span >= MAX_FILE_SPAN_MS;
    }

    private boolean mayRetry() {
        return failure == null || System.nanoTime() - retryAtNanos >= 0;
    }

    private void openFile(FlvTag key) {
        Path next = nextName();
        try {
            Path parent = next.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = new FlvFileWriter(new BufferedOutputStream(opener.open(next), BUFFER_SIZE));
            current = next;
            base = key.timestamp();
            lastVideo = -1;
            flushedBytes = 0;
            for (FlvTag header : new FlvTag[] {metadata, avcHeader, aacHeader}) {
                if (header != null) {
                    out.write(header.withTimestamp(0));
                    tagsWritten.incrementAndGet();
                }
            }
            for (FlvTag audio : recentAudio) {
                if (audio.timestamp() >= base) {
                    out.write(audio.withTimestamp(audio.timestamp() - base));
                    tagsWritten.incrementAndGet();
                }
            }
            recentAudio.clear();
        } catch (IOException | RuntimeException e) {
            current = next;
            failed(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
            return;
        }
        filesStarted++;
        if (failure != null) {
            LOG.info("recording to {} again after: {}", next, failure);
            failure = null;
        } else {
            LOG.debug("recording to {}", next);
        }
        listener.fileStarted(next);
    }

    /** {@code <name>-<UTC time>.flv}, with {@code -2}, {@code -3} … when that file exists (never overwritten). */
    private Path nextName() {
        String fileName = name.getFileName().toString();
        String stem = fileName.toLowerCase(java.util.Locale.ROOT).endsWith(SUFFIX)
                ? fileName.substring(0, fileName.length() - SUFFIX.length()) : fileName;
        String stamped = stem + "-" + FILE_TIME.format(clock.instant());
        Path candidate = name.resolveSibling(stamped + SUFFIX);
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = name.resolveSibling(stamped + "-" + n + SUFFIX);
        }
        return candidate;
    }

    private void flush() {
        try {
            out.flush();
            flushedBytes = out.bytesWritten();
        } catch (IOException e) {
            failed(e);
        }
    }

    /** Ends the current file with the end-of-sequence tag. */
    private void closeFile() {
        FlvFileWriter w = out;
        if (w == null) {
            return;
        }
        out = null;
        try (w) {
            if (lastVideo >= 0) {
                w.write(AvcTagger.endOfSequence(lastVideo - base));
            }
        } catch (IOException e) {
            failed(e);
        }
    }

    private void failed(IOException e) {
        Path file = current;
        String reason = "cannot write " + file + " (recording " + name + "): " + describe(e) + "; check the disk"
                + " space and the folder's permissions; a new file is tried every " + RETRY_MS / 1000 + " s";
        boolean first = failure == null;
        failure = reason;
        retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MS);
        FlvFileWriter w = out;
        out = null;
        current = null;
        if (w != null) {
            try {
                w.close();
            } catch (IOException ignored) {
                // the file is cut back below; a buffer that cannot be written is lost either way
            }
            cutBack(file);
        } else if (file != null) {
            deleteIfEmpty(file);
        }
        if (first) {
            LOG.warn("{}", reason);
        } else {
            LOG.debug("{}", reason);
        }
        listener.failed(reason);
    }

    private static void deleteIfEmpty(Path file) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) == 0) {
                Files.delete(file);
            }
        } catch (IOException e) {
            LOG.debug("could not remove the empty {}: {}", file, e.toString());
        }
    }

    /** What went wrong, for a message: the JDK names some file errors only by their type and the file. */
    private static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() == null) {
            return e.getClass().getSimpleName() + " " + message;
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /**
     * Cuts {@code file} back to its last whole tag, so the recording up to the failure stays decodable; a file that
     * got no whole tag is no recording and goes.
     */
    private void cutBack(Path file) {
        if (file == null) {
            return;
        }
        try {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                if (ch.size() > flushedBytes) {
                    ch.truncate(flushedBytes);
                }
            }
            if (flushedBytes == 0) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("could not cut {} back to {} bytes: {}", file, flushedBytes, e.toString());
        }
    }
}
