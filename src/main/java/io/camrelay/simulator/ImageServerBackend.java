package io.camrelay.simulator;

import java.util.Optional;

/** What the simulated ImageServer asks of the rest of the simulator: its cameras, and whether a VMS token is valid. */
public interface ImageServerBackend {

    /** The camera with this id, if the simulated VMS has it. */
    Optional<SimulatedCamera> camera(String cameraId);

    /** Whether {@code vmsToken} was issued by the simulated SOAP Login and has not expired. */
    boolean tokenValid(String vmsToken);

    /** What each camera has recorded (docs/simulator.md, "Recordings"): {@link RecordingLayout#DEFAULT} unless set. */
    default RecordingLayout recordingLayout() {
        return RecordingLayout.DEFAULT;
    }
}
