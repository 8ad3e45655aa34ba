package io.camrelay.streams;

/**
 * Turns the {@code camera} of a definition (an id or an exact name) into the camera's id and name, asking XProtect.
 * Throws {@link io.camrelay.vms.UnknownCameraException} when XProtect does not know it; any other exception means
 * XProtect could not be asked, and the stream is tried again at the next poll.
 */
@FunctionalInterface
public interface CameraResolver {

    /** The camera's id and display name ({@code name} may be {@code null}). */
    record ResolvedCamera(String id, String name) {
    }

    /** Resolves {@code camera}. */
    ResolvedCamera resolve(String camera);

    /** No VMS to ask (tests, file-only demos): the camera as written is the id. */
    CameraResolver AS_WRITTEN = camera -> new ResolvedCamera(camera, null);
}
