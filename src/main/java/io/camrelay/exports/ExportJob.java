package io.camrelay.exports;

import java.time.Instant;
import java.util.Objects;

/**
 * One export job as the API shows it and the store keeps it (architecture §11). Immutable; a change is a new value.
 *
 * @param id         the job id (lower-case letters and digits)
 * @param camera     the camera id
 * @param cameraName the camera's name
 * @param from       the range's start, on the recorder's clock
 * @param to         the range's end (exclusive)
 * @param format     what is written
 * @param state      where the job is
 * @param progress   0..1: the last picture's time over the range (1 when DONE)
 * @param frames     pictures written
 * @param bytes      bytes written (the file's size when DONE)
 * @param error      what went wrong and the fix (FAILED), or null
 * @param createdAt  when it was asked for
 * @param finishedAt when it reached DONE, FAILED or CANCELLED, or null
 * @param file       the download path when DONE, else null
 */
public record ExportJob(String id, String camera, String cameraName, Instant from, Instant to, ExportFormat format,
        ExportState state, double progress, long frames, long bytes, String error, Instant createdAt,
        Instant finishedAt, String file) {

    public ExportJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The same job in {@code next}, with its counters. */
    ExportJob with(ExportState next, double progressNow, long framesNow, long bytesNow, String errorNow,
            Instant finishedNow, String fileNow) {
        return new ExportJob(id, camera, cameraName, from, to, format, next, progressNow, framesNow, bytesNow, errorNow,
                createdAt, finishedNow, fileNow);
    }

    /** The same job with new counters while it runs. */
    ExportJob progressed(double progressNow, long framesNow, long bytesNow) {
        return with(state, progressNow, framesNow, bytesNow, error, finishedAt, file);
    }
}
