package io.camrelay.streams;

import io.camrelay.media.AvcTagger;
import io.camrelay.media.FlvFileWriter;
import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A stream route's destination that records into an FLV file: the body ({@code List<FlvTag>} or one
 * {@link FlvTag}) is appended, each exchange flushed to the file. Starting creates the parent directories and
 * truncates the file; stopping writes the AVC end-of-sequence tag and closes it. As a {@link org.apache.camel.Service}
 * used in {@code .process(...)} it starts and stops with its route. One instance per route and file.
 */
public final class FlvFileDestination extends ServiceSupport implements Processor {

    /** Write buffer: a few pictures of 1080p. */
    static final int BUFFER_SIZE = 256 * 1024;

    private final Path file;
    private FlvFileWriter writer;
    private long lastVideoTimestamp = -1;
    private long tagsWritten;

    /** Records into {@code file}. */
    public FlvFileDestination(Path file) {
        this.file = java.util.Objects.requireNonNull(file, "file");
    }

    /** Records into the file at {@code path} (relative to the working directory), for YAML bean definitions. */
    public FlvFileDestination(String path) {
        this(Path.of(path));
    }

    /** The file written to. */
    public Path file() {
        return file;
    }

    /** Tags written since start. */
    public synchronized long tagsWritten() {
        return tagsWritten;
    }

    @Override
    protected synchronized void doStart() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        writer = new FlvFileWriter(new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), BUFFER_SIZE));
        lastVideoTimestamp = -1;
        tagsWritten = 0;
    }

    @Override
    public synchronized void process(Exchange exchange) throws Exception {
        if (writer == null) {
            throw new IllegalStateException("FLV file destination " + file + " is not started");
        }
        Object body = exchange.getMessage().getBody();
        if (body instanceof FlvTag tag) {
            write(tag);
        } else if (body instanceof List<?> list) {
            for (FlvTag tag : SilentAudioProcessor.tags(list)) {
                write(tag);
            }
        } else {
            throw new IllegalArgumentException("FLV file destination " + file + " expects a List<FlvTag> body, got "
                    + (body == null ? "null" : body.getClass().getName()));
        }
        writer.flush();
    }

    private void write(FlvTag tag) throws IOException {
        writer.write(tag);
        tagsWritten++;
        if (tag.type() == FlvTagType.VIDEO) {
            lastVideoTimestamp = tag.timestamp();
        }
    }

    @Override
    protected synchronized void doStop() throws IOException {
        if (writer == null) {
            return;
        }
        try {
            if (lastVideoTimestamp >= 0) {
                writer.write(AvcTagger.endOfSequence(lastVideoTimestamp));
            }
        } finally {
            writer.close();
            writer = null;
        }
    }
}
