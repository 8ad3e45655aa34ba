package io.camrelay.imageserver;

/**
 * The recorder sends a camera's pictures as JPEG or in a form that is not a GenericByteData video stream packet,
 * which CamRelay cannot pass through (docs/protocols.md §1.5, §2.1). Reconnecting does not help: the
 * camera's stream settings must change.
 */
public class UnsupportedPayloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String cameraId;

    public UnsupportedPayloadException(String cameraId, String message) {
        super(message);
        this.cameraId = cameraId;
    }

    /** The camera whose payload was refused. */
    public String cameraId() {
        return cameraId;
    }
}
