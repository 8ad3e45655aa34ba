package io.camrelay.streams;

import io.camrelay.media.VideoCodec;
import java.util.Locale;

/**
 * A camera sends a codec the stream's destinations cannot take. The message names the camera, the codec and the
 * fix; restarting the route does not help until the camera is reconfigured.
 */
public final class UnsupportedCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String cameraId;
    private final VideoCodec codec;
    private final int codecId;

    public UnsupportedCodecException(String cameraId, String cameraName, int codecId) {
        super(message(cameraId, cameraName, codecId));
        this.cameraId = cameraId;
        this.codec = VideoCodec.fromId(codecId);
        this.codecId = codecId;
    }

    /** The camera id (GUID), or null if the route did not know it. */
    public String cameraId() {
        return cameraId;
    }

    /** The codec the camera sends ({@link VideoCodec#UNKNOWN} for an id CamRelay does not know). */
    public VideoCodec codec() {
        return codec;
    }

    /** The raw GenericByteData codec id. */
    public int codecId() {
        return codecId;
    }

    private static String message(String cameraId, String cameraName, int codecId) {
        String camera = describeCamera(cameraId, cameraName);
        VideoCodec codec = VideoCodec.fromId(codecId);
        String fix = "set the camera's stream to H.264 in the Management Client";
        return switch (codec) {
            case H265 -> String.format(Locale.ROOT, "%s sends H.265, which YouTube, Twitch and Facebook do not "
                    + "accept over RTMP: %s", camera, fix);
            case JPEG, MXPEG -> String.format(Locale.ROOT, "%s sends %s pictures, which RTMP cannot carry and "
                    + "CamRelay does not transcode: %s (or pick a stream of the camera that is H.264)", camera,
                    codec.displayName(), fix);
            case UNKNOWN -> String.format(Locale.ROOT, "%s sends an unknown codec (GenericByteData codec id "
                    + "0x%04X), expected H.264: %s; if it already shows H.264 there, update the device pack",
                    camera, codecId, fix);
            default -> String.format(Locale.ROOT, "%s sends %s, which RTMP destinations do not accept and CamRelay "
                    + "does not transcode: %s; if the camera cannot encode H.264, it cannot be streamed",
                    camera, codec.displayName(), fix);
        };
    }

    private static String describeCamera(String cameraId, String cameraName) {
        String id = cameraId == null || cameraId.isBlank() ? "unknown id" : cameraId;
        if (cameraName == null || cameraName.isBlank()) {
            return "camera " + id;
        }
        return "camera '" + cameraName + "' (" + id + ")";
    }
}
