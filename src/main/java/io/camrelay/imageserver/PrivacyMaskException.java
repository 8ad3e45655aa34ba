package io.camrelay.imageserver;

/**
 * The camera has a privacy mask in XProtect, which the H.264 CamRelay passes through does not carry (the recorder
 * applies masks only to the JPEG it renders, docs/protocols.md §1.5, §1.7), so CamRelay refuses to publish it. Its
 * own type so that whoever handles stream failures can tell it apart: a masked camera must stop publishing at once,
 * never be bridged with a hold picture. The message is {@code PrivacyMask.MESSAGE} of the session package.
 */
public class PrivacyMaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String cameraId;

    public PrivacyMaskException(String cameraId, String message) {
        super(message);
        this.cameraId = cameraId;
    }

    /** The masked camera. */
    public String cameraId() {
        return cameraId;
    }
}
