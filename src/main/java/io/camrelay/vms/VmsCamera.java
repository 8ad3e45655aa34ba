package io.camrelay.vms;

import java.util.Objects;
import java.util.Optional;

/**
 * A camera as the Configuration REST API describes it (docs/protocols.md §4).
 *
 * @param id          camera GUID
 * @param name        its name
 * @param displayName the name the Management Client shows
 * @param enabled     whether it is enabled
 * @param hardwareId  id of its parent hardware ({@code relations.parent}), or null when the VMS did not say
 * @param gisPoint    its position as XProtect gives it ({@code POINT (lon lat)}, {@code POINT EMPTY}), or null
 */
public record VmsCamera(String id, String name, String displayName, boolean enabled, String hardwareId,
                        String gisPoint) {

    /** A camera whose position the VMS did not give. */
    public VmsCamera(String id, String name, String displayName, boolean enabled, String hardwareId) {
        this(id, name, displayName, enabled, hardwareId, null);
    }

    public VmsCamera {
        Objects.requireNonNull(id, "id");
        name = name == null ? "" : name;
        displayName = displayName == null || displayName.isEmpty() ? name : displayName;
    }

    /**
     * Where the camera is, or empty when XProtect has no position for it.
     *
     * @throws IllegalArgumentException when its gisPoint is not a position
     */
    public Optional<GisPoint> position() {
        return GisPoint.parse(gisPoint);
    }
}
