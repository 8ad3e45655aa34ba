package io.camrelay.vms;

import java.util.function.Consumer;

/**
 * What the {@code xprotect:} consumer needs from the logged-in VMS session: the current VMS token (the ImageServer
 * {@code connectiontoken}), notice of each renewal (sent as {@code connectupdate}), and the recording server of a
 * camera. Implemented by the VMS session and bound in the Camel registry.
 */
public interface VmsAccess {

    /** The current VMS token; logs in first if there is none yet. */
    String vmsToken();

    /** Calls {@code listener} with each new VMS token after a renewal or re-login. */
    void addTokenListener(Consumer<String> listener);

    /** Stops calling {@code listener}. */
    void removeTokenListener(Consumer<String> listener);

    /**
     * The recording server that serves {@code cameraId} (camera → hardware → recording server, its
     * {@code webServerUri}).
     *
     * @throws UnknownCameraException when the VMS has no such camera
     */
    RecorderAddress recorderFor(String cameraId);

    /**
     * Connecting to the recorder of {@code cameraId} failed: forget its cached address so the next
     * {@link #recorderFor(String)} asks the VMS again (the camera may have moved to another recorder).
     */
    default void recorderFailed(String cameraId) {
    }

    /** The recorder refused our token ("Security token invalid"): log in again before the next attempt. */
    void tokenRejected(String rejectedToken);
}
