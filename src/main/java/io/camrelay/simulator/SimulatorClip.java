package io.camrelay.simulator;

import io.camrelay.media.VideoCodec;

/**
 * The clips bundled under {@code src/main/resources/simulator/clips/} that simulated cameras play in a loop
 * (generated once with ffmpeg by {@code scripts/make-simulator-clips.sh}).
 */
public enum SimulatorClip implements ClipSource {
    /** x264 Constrained Baseline, 640x360, 25 fps, 2 s GOP, no B-frames. */
    H264_BASELINE("h264-baseline-360p.h264", VideoCodec.H264, 25),
    /** x264 High with 2 B-frames, 640x360, 25 fps, 2 s GOP. */
    H264_BFRAMES("h264-high-bframes-360p.h264", VideoCodec.H264, 25),
    /** x265 Main, 640x360, 25 fps: a camera CamRelay must refuse with a clear message. */
    H265("h265-360p.h265", VideoCodec.H265, 25),
    /** Motion JPEG frames, 640x360, 5 fps: a JPEG camera. */
    JPEG("jpeg-360p.mjpeg", VideoCodec.JPEG, 5);

    private final String resource;
    private final VideoCodec codec;
    private final int fps;

    SimulatorClip(String resource, VideoCodec codec, int fps) {
        this.resource = resource;
        this.codec = codec;
        this.fps = fps;
    }

    /** Classpath resource path of the clip. */
    public String resourcePath() {
        return "simulator/clips/" + resource;
    }

    @Override
    public VideoCodec codec() {
        return codec;
    }

    @Override
    public int fps() {
        return fps;
    }
}
