package io.camrelay.exports;

/** The states of an export job (architecture §11). */
public enum ExportState {
    /** Waiting for a worker. */
    QUEUED,
    /** Reading the recording and writing the file. */
    RUNNING,
    /** The file is complete and may be downloaded. */
    DONE,
    /** It stopped with an error ({@code error} says what and the fix); no file. */
    FAILED,
    /** Cancelled by a DELETE; no file. */
    CANCELLED;

    /** Whether the job will not change any more. */
    public boolean finished() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
