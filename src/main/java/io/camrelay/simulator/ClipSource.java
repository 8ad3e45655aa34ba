package io.camrelay.simulator;

import io.camrelay.media.VideoCodec;

/**
 * What a simulated camera plays in a loop: one of the bundled {@link SimulatorClip}s or an external {@link ClipFile}.
 * A source is loaded once per simulator and its pictures are shared by every camera that plays it.
 */
public sealed interface ClipSource permits SimulatorClip, ClipFile {

    /** The codec the camera reports. */
    VideoCodec codec();

    /** Frames per second the camera plays at. */
    int fps();
}
