package io.camrelay.exports;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camrelay.streams.StreamStatusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where jobs and their files live under {@code camrelay.exports.dir}, so both survive a restart: {@code jobs/<id>.json}
 * (written whole to a temp file and moved into place), {@code <id>.<ext>} (a file appears under that name only once it
 * is complete: it is written as {@code .work/<id>/<id>.<ext>.part} and moved), {@code .work/<id>/} (the writer's
 * spools and the partial file; deleted when the job ends, and at start for any job that was not finished).
 */
final class ExportStore {

    private static final Logger LOG = LoggerFactory.getLogger(ExportStore.class);
    static final String JOBS = "jobs";
    static final String WORK = ".work";

    private final Path dir;
    private final ObjectMapper json = StreamStatusRegistry.jsonMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    ExportStore(Path dir) {
        this.dir = dir;
    }

    /** Creates the folders; fails naming the folder and the fix. */
    void open() {
        try {
            Files.createDirectories(dir.resolve(JOBS));
            Files.createDirectories(dir.resolve(WORK));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the exports folder " + dir.toAbsolutePath() + " ("
                    + e.getMessage() + "): make it writable or set " + ExportSettings.DIR + " to another folder", e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Every job stored, oldest first; an unreadable one is logged and moved aside as {@code .bad}. */
    List<ExportJob> load() {
        List<ExportJob> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve(JOBS), "*.json")) {
            for (Path f : files) {
                try {
                    out.add(json.readValue(f.toFile(), ExportJob.class));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("export job file {} cannot be read ({}); it is moved aside as {}.bad", f, e.getMessage(),
                            f.getFileName());
                    Files.move(f, f.resolveSibling(f.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the export jobs in " + dir.resolve(JOBS), e);
        }
        out.sort(Comparator.comparing(ExportJob::createdAt));
        return out;
    }

    /** Stores {@code job}, replacing what was stored. */
    void save(ExportJob job) {
        Path target = dir.resolve(JOBS).resolve(job.id() + ".json");
        try {
            Path tmp = Files.createTempFile(dir.resolve(JOBS), job.id(), ".tmp");
            try {
                json.writeValue(tmp.toFile(), job);
                move(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store export job " + job.id() + " in " + target.getParent() + " ("
                    + e.getMessage() + "): check that " + ExportSettings.DIR + " is writable and has free space", e);
        }
    }

    /** Deletes the job, its file and its work folder. */
    void delete(String id) {
        deleteFiles(id);
        deleteQuietly(dir.resolve(JOBS).resolve(id + ".json"));
    }

    /** Deletes the job's file (any format) and work folder, keeping the job. */
    void deleteFiles(String id) {
        for (ExportFormat f : ExportFormat.values()) {
            deleteQuietly(dir.resolve(id + "." + f.extension()));
        }
        clearWork(id);
    }

    /** The complete file of a job. */
    Path file(ExportJob job) {
        return dir.resolve(job.id() + "." + job.format().extension());
    }

    /** The job's work folder, created empty. */
    Path workDir(String id) throws IOException {
        clearWork(id);
        return Files.createDirectories(dir.resolve(WORK).resolve(id));
    }

    /** Deletes the job's work folder and everything in it. */
    void clearWork(String id) {
        Path work = dir.resolve(WORK).resolve(id);
        if (!Files.exists(work)) {
            return;
        }
        try (Stream<Path> all = Files.walk(work)) {
            all.sorted(Comparator.reverseOrder()).forEach(ExportStore::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("cannot delete the work folder {} of export {}: {}", work, id, e.getMessage());
        }
    }

    /** Moves a finished file into place, atomically where the file system can. */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", p, e.getMessage());
        }
    }
}
