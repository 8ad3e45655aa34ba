package io.camrelay.simulator;

import io.camrelay.media.VideoCodec;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An external raw Annex B elementary stream (e.g. {@code ffmpeg … -f h264 clip.h264}) that simulated cameras play
 * in a loop, for load tests with camera-like material (1080p, 4 Mbit/s) that is too big to bundle.
 *
 * @param file  the Annex B file; it must start with a key frame
 * @param codec {@link VideoCodec#H264} or {@link VideoCodec#H265}
 * @param fps   frames per second the cameras play it at
 */
public record ClipFile(Path file, VideoCodec codec, int fps) implements ClipSource {

    /** The highest frame rate a simulated camera plays at. */
    static final int MAX_FPS = 120;

    public ClipFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(codec, "codec");
        if (codec != VideoCodec.H264 && codec != VideoCodec.H265) {
            throw new IllegalArgumentException("clip file " + file + " has codec " + codec
                    + ", expected H264 or H265 (an Annex B elementary stream)");
        }
        if (fps < 1 || fps > MAX_FPS) {
            throw new IllegalArgumentException("clip file " + file + " has fps " + fps + ", expected 1.." + MAX_FPS);
        }
    }

    /** An H.264 Annex B file played at {@code fps}. */
    public static ClipFile h264(Path file, int fps) {
        return new ClipFile(file, VideoCodec.H264, fps);
    }
}
