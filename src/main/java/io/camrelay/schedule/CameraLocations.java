package io.camrelay.schedule;

import io.camrelay.streams.GeoLocation;
import java.util.Optional;

/** Where a camera is, as the VMS knows it (XProtect: the camera's gisPoint); given by the wiring. */
@FunctionalInterface
public interface CameraLocations {

    /**
     * The position of {@code camera} (an id or exact name), or empty when the VMS has none for it.
     *
     * @throws RuntimeException when the VMS cannot be asked (its message says why)
     */
    Optional<GeoLocation> locate(String camera);
}
