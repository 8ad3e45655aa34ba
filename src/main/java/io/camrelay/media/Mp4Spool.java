package io.camrelay.media;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only temp file behind a fixed buffer: where the progressive MP4 writer keeps what grows with the
 * recording (the media data, and each sample table as the bytes of its box), so its heap stays the buffer's size.
 * Big-endian, like every MP4 field. Deleted by {@link #close}.
 */
final class Mp4Spool implements Closeable {

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private long size;

    private Mp4Spool(Path file, int bufferSize) throws IOException {
        this.file = file;
        this.buffer = ByteBuffer.allocate(bufferSize);
        FileChannel opened = null;
        try {
            opened = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        } finally {
            if (opened == null) {
                Files.deleteIfExists(file);
            }
        }
        this.channel = opened;
    }

    /** A new spool in {@code dir}, its file named after {@code name}. */
    static Mp4Spool create(Path dir, String name, int bufferSize) throws IOException {
        return new Mp4Spool(Files.createTempFile(dir, "camrelay-mp4-", "." + name), bufferSize);
    }

    void putInt(int value) throws IOException {
        room(4);
        buffer.putInt(value);
        size += 4;
    }

    void putLong(long value) throws IOException {
        room(8);
        buffer.putLong(value);
        size += 8;
    }

    void put(byte[] data, int offset, int count) throws IOException {
        int from = offset;
        int left = count;
        while (left > 0) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            int n = Math.min(left, buffer.remaining());
            buffer.put(data, from, n);
            from += n;
            left -= n;
        }
        size += count;
    }

    /** Bytes appended so far. */
    long size() {
        return size;
    }

    /** Heap the spool holds: its buffer. */
    int heldBytes() {
        return buffer.capacity();
    }

    /** The file's path (for tests that look for leftovers). */
    Path file() {
        return file;
    }

    /** Copies everything appended to {@code out}. */
    void copyTo(OutputStream out) throws IOException {
        drain();
        Files.copy(file, out);
    }

    /** Moves everything appended to {@code target}, letting the OS copy file to file where it can. */
    void transferTo(WritableByteChannel target) throws IOException {
        drain();
        long position = 0;
        while (position < size) {
            position += channel.transferTo(position, size - position, target);
        }
    }

    /** A reader over everything appended, for a table copied with a transformation; the caller closes it. */
    DataInputStream reader() throws IOException {
        drain();
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), buffer.capacity()));
    }

    /** Closes and deletes the file. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void room(int count) throws IOException {
        if (buffer.remaining() < count) {
            drain();
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }
}
