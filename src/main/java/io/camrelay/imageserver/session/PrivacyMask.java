package io.camrelay.imageserver.session;

/**
 * The refusal of a camera that has a privacy mask in XProtect (docs/protocols.md §1.5, §1.7): the recorder applies
 * masks only when it renders JPEG, so the H.264 CamRelay passes through shows what the operator masked. CamRelay does
 * not transcode, so it never publishes such a camera. {@link RecorderConnection} checks every {@code ImageResponse},
 * so live and playback sessions refuse it alike, before the picture is passed on.
 */
public final class PrivacyMask {

    /**
     * The message of the refusal, with the camera id for {@code %s}: what, why, and the fix (README
     * troubleshooting).
     */
    public static final String MESSAGE = "camera %s has a privacy mask in XProtect; CamRelay passes the camera's "
            + "H.264 through without transcoding and so cannot apply the mask (the recorder masks only the JPEG it "
            + "renders), and does not publish the camera: remove the privacy mask in the Management Client, or stream "
            + "another camera or stream";

    private PrivacyMask() {
    }

    /** {@link #MESSAGE} for {@code cameraId}. */
    public static String message(String cameraId) {
        return String.format(java.util.Locale.ROOT, MESSAGE, cameraId);
    }
}
