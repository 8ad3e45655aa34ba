package io.camrelay.media;

import java.util.Locale;
import java.util.Objects;

/**
 * What a stream's video is, as its parameter sets say (for the status, the onMetaData tag and the log).
 *
 * @param codec          the codec
 * @param flvCodecId     the FLV {@code videocodecid} (onMetaData, FLV 10.1 §E.4.3.1): 7 for AVC
 * @param width          picture width in pixels (cropping applied)
 * @param height         picture height in pixels
 * @param frameRate      the signalled frames per second, 0 when the stream does not say
 * @param profile        the profile and level as operators read them, e.g. "High profile (100), level 4.0"
 * @param reordersFrames whether pictures are reordered (B-frames): presentation differs from decode order
 */
public record VideoFormat(VideoCodec codec, int flvCodecId, int width, int height, double frameRate, String profile,
                          boolean reordersFrames) {

    public VideoFormat {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(profile, "profile");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "picture size %dx%d is not positive",
                    width, height));
        }
    }

    /** One line for the log: "H.264 High profile (100), level 4.0, 1920x1080, 25.00 fps, no B-frames". */
    public String describe() {
        return String.format(Locale.ROOT, "%s %s, %dx%d, %s fps, %s", codec.displayName(), profile, width, height,
                frameRate > 0 ? String.format(Locale.ROOT, "%.2f", frameRate) : "unknown",
                reordersFrames ? "B-frames (reordered)" : "no B-frames");
    }
}
