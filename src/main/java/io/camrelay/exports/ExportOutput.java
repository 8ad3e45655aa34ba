package io.camrelay.exports;

import io.camrelay.media.FlvFileWriter;
import io.camrelay.media.FlvTag;
import io.camrelay.media.Mp4Writer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The file one export writes, from the tags of each picture: MP4 with {@link Mp4Writer} (docs/mp4.md), FLV with
 * {@link FlvFileWriter}. It is written to {@code <file>.part} in the work folder and moved to {@code file} only by
 * {@link #finish()}, so a file under its final name is always complete; {@link #abort()} leaves nothing.
 */
abstract class ExportOutput {

    /** Buffer of the FLV file stream. */
    static final int FLV_BUFFER = 256 * 1024;

    final Path file;
    final Path part;

    private ExportOutput(Path file, Path workDir, ExportFormat format) {
        this.file = file;
        this.part = workDir.resolve(file.getFileName() + ".part");
    }

    /** The output for {@code format}, its spools and partial file in {@code workDir}. */
    static ExportOutput open(ExportFormat format, Path file, Path workDir) throws IOException {
        return format == ExportFormat.MP4 ? new Mp4(file, workDir) : new Flv(file, workDir);
    }

    abstract void write(List<FlvTag> tags) throws IOException;

    /** Bytes written so far (of the media; the MP4's boxes come at finish). */
    abstract long bytes();

    /** Completes the file and moves it to its name; returns its size. */
    final long finish() throws IOException {
        long size = complete();
        ExportStore.move(part, file);
        return size;
    }

    abstract long complete() throws IOException;

    /** Deletes what was written; never throws. */
    abstract void abort();

    private static final class Mp4 extends ExportOutput {
        private final Mp4Writer writer;
        private long bytes;

        Mp4(Path file, Path workDir) throws IOException {
            super(file, workDir, ExportFormat.MP4);
            writer = new Mp4Writer(part, workDir);
        }

        @Override
        void write(List<FlvTag> tags) throws IOException {
            writer.write(tags);
            for (FlvTag t : tags) {
                bytes += t.size();
            }
        }

        @Override
        long bytes() {
            return bytes;
        }

        @Override
        long complete() throws IOException {
            return writer.finish();
        }

        @Override
        void abort() {
            writer.abort();
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // the work folder goes with the job
            }
        }
    }

    private static final class Flv extends ExportOutput {
        private final FlvFileWriter writer;

        Flv(Path file, Path workDir) throws IOException {
            super(file, workDir, ExportFormat.FLV);
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), FLV_BUFFER);
            writer = new FlvFileWriter(out);
        }

        @Override
        void write(List<FlvTag> tags) throws IOException {
            for (FlvTag t : tags) {
                writer.write(t);
            }
        }

        @Override
        long bytes() {
            return writer.bytesWritten();
        }

        @Override
        long complete() throws IOException {
            writer.close();
            return writer.bytesWritten();
        }

        @Override
        void abort() {
            try {
                writer.close();
            } catch (IOException e) {
                // deleted below
            }
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // the work folder goes with the job
            }
        }
    }
}
