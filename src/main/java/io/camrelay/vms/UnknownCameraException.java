package io.camrelay.vms;

/** The VMS does not know the camera (by id or by exact name). */
public class UnknownCameraException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String camera;

    public UnknownCameraException(String camera, String detail) {
        super("XProtect has no camera '" + camera + "'" + (detail == null ? "" : " (" + detail + ")")
                + ": check the camera id or its exact name in the Management Client, and that the user may see it");
        this.camera = camera;
    }

    /** The camera id or name that was asked for. */
    public String camera() {
        return camera;
    }
}
