package io.camrelay.vms;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A camera's live picture as JPEG (docs/protocols.md §8: Config REST {@code JpegGetLive}).
 *
 * @param time when the recorder took it (its clock), or null when the VMS did not say
 * @param jpeg the JPEG bytes
 */
public record CameraSnapshot(Instant time, byte[] jpeg) {
    public CameraSnapshot {
        Objects.requireNonNull(jpeg, "jpeg");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CameraSnapshot s && Objects.equals(s.time, time) && Arrays.equals(s.jpeg, jpeg);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(time) * 31 + Arrays.hashCode(jpeg);
    }

    @Override
    public String toString() {
        return "CameraSnapshot[time=" + time + ", jpeg=" + jpeg.length + " bytes]";
    }
}
