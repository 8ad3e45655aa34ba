package io.camrelay.simulator;

import java.util.Objects;

/**
 * A camera of the simulated XProtect.
 *
 * @param id           camera GUID
 * @param name         display name (unique)
 * @param clip         what it plays: a bundled {@link SimulatorClip} or an external {@link ClipFile}
 * @param streamId     the stream reference id of its live stream (the ImageServer {@code streamid})
 */
public record SimulatedCamera(String id, String name, ClipSource clip, String streamId) {
    public SimulatedCamera {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(streamId, "streamId");
    }
}
