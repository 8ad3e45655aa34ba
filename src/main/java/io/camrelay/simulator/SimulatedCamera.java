package io.camrelay.simulator;

import java.util.Objects;

/**
 * A camera of the simulated XProtect.
 *
 * @param id           camera GUID
 * @param name         display name (unique)
 * @param clip         what it plays: a bundled {@link SimulatorClip} or an external {@link ClipFile}
 * @param streamId     the stream reference id of its live stream (the ImageServer {@code streamid})
 * @param recorder     how its recording server stamps and pushes its pictures
 * @param gisPoint     its position as the Config REST API gives it: {@code POINT (lon lat)}, or {@link #NO_POSITION}
 */
public record SimulatedCamera(String id, String name, ClipSource clip, String streamId, RecorderBehaviour recorder,
                              String gisPoint) {

    /** What XProtect gives for a camera nobody placed on the map. */
    public static final String NO_POSITION = "POINT EMPTY";

    public SimulatedCamera {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(recorder, "recorder");
        Objects.requireNonNull(gisPoint, "gisPoint");
    }

    /** A camera on a recorder that behaves as {@code recorder} says, not placed on the map. */
    public SimulatedCamera(String id, String name, ClipSource clip, String streamId, RecorderBehaviour recorder) {
        this(id, name, clip, streamId, recorder, NO_POSITION);
    }

    /** A camera whose recorder behaves as real ones do ({@link RecorderBehaviour#REAL}). */
    public SimulatedCamera(String id, String name, ClipSource clip, String streamId) {
        this(id, name, clip, streamId, RecorderBehaviour.REAL);
    }

    /** This camera on a recorder that behaves as {@code behaviour} says. */
    public SimulatedCamera withRecorder(RecorderBehaviour behaviour) {
        return new SimulatedCamera(id, name, clip, streamId, behaviour, gisPoint);
    }

    /** This camera at {@code wkt} ({@code POINT (lon lat)}, XProtect's form). */
    public SimulatedCamera withGisPoint(String wkt) {
        return new SimulatedCamera(id, name, clip, streamId, recorder, wkt);
    }
}
