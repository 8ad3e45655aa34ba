package io.camrelay.streams;

/**
 * Turns the {@code camera} of a definition (an id or an exact name) into the camera's id and name, asking the VMS.
 * Throws {@link CameraNotFoundException} when the VMS does not know it; any other exception means the VMS could not
 * be asked, and the stream is tried again at the next poll.
 */
@FunctionalInterface
public interface CameraResolver {

    /** The camera's id and display name ({@code name} may be {@code null}). */
    record ResolvedCamera(String id, String name) {
    }

    /** The VMS answered that it has no such camera (or the user may not see it); the message says which and why. */
    final class CameraNotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CameraNotFoundException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Resolves {@code camera}. */
    ResolvedCamera resolve(String camera);

    /** No VMS to ask (tests, file-only demos): the camera as written is the id. */
    CameraResolver AS_WRITTEN = camera -> new ResolvedCamera(camera, null);
}
