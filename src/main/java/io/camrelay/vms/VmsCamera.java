package io.camrelay.vms;

import java.util.Objects;

/**
 * A camera as the Configuration REST API describes it (docs/protocols.md §4).
 *
 * @param id          camera GUID
 * @param name        its name
 * @param displayName the name the Management Client shows
 * @param enabled     whether it is enabled
 * @param hardwareId  id of its parent hardware ({@code relations.parent}), or null when the VMS did not say
 */
public record VmsCamera(String id, String name, String displayName, boolean enabled, String hardwareId) {
    public VmsCamera {
        Objects.requireNonNull(id, "id");
        name = name == null ? "" : name;
        displayName = displayName == null || displayName.isEmpty() ? name : displayName;
    }
}
