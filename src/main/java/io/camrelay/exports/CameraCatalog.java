package io.camrelay.exports;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What exports and the cameras API need of the VMS (architecture §11); the application implements it on the VMS
 * session and the recorders. Blocking calls: never on an event loop.
 */
public interface CameraCatalog {

    /** A camera as the API lists it. */
    record Camera(String id, String name, boolean enabled, String recordingServer) {
    }

    /** A JPEG picture. */
    record Snapshot(Instant time, byte[] jpeg) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s && java.util.Objects.equals(s.time, time) && java.util.Arrays.equals(s.jpeg,
                    jpeg);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(jpeg);
        }

        @Override
        public String toString() {
            return "Snapshot[time=" + time + ", jpeg=" + jpeg.length + " bytes]";
        }
    }

    /** Whether a VMS is configured (file-only mode has no cameras to list or export). */
    boolean available();

    /** Every camera the user may see. */
    List<Camera> cameras();

    /** The camera with this id or exact name, if the VMS has it. */
    Optional<Camera> camera(String idOrName);

    /** The camera's recorded spans overlapping [{@code from}, {@code to}], as the recorder lists them (unmerged). */
    List<RecordedSpan> sequences(String cameraId, Instant from, Instant to);

    /** The camera's live picture (JpegGetLive). */
    Snapshot snapshot(String cameraId);
}
