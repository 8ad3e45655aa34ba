package io.camrelay.simulator;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated recording server knows of one camera across its sessions: when the camera started playing
 * (the pre-buffered GOP and every session's picture times follow from it), the recorder's clock offset, whether the
 * camera has a privacy mask and whether it is connected to the recorder; and what was sent. Switches are volatile:
 * tests flip them from their own thread, sessions read them on their event loops.
 */
final class SimulatedCameraState {

    private final SimulatedCamera camera;
    /**
     * A camera has been recording for a while when a client first asks for it: its clip started this long before
     * the simulator knew it, so the first live session already gets a pre-buffered GOP of any age up to a GOP.
     */
    static final long RECORDING_BEFORE_MS = 60_000;
    /** System.nanoTime() and the recorder's clock (without offset) when the camera started, a shared epoch. */
    private final long epochNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(RECORDING_BEFORE_MS);
    private final long epochMs = System.currentTimeMillis() - RECORDING_BEFORE_MS;
    private volatile long clockOffsetMs;
    /** The recorder's clock when the camera started, with the offset it had then: where recordings are laid. */
    private final long recordingOriginMs;
    private volatile boolean masked;
    private volatile boolean connected = true;
    private final AtomicLong unmaskedPictures = new AtomicLong();
    private final AtomicLong maskedPictures = new AtomicLong();

    SimulatedCameraState(SimulatedCamera camera) {
        this.camera = camera;
        this.clockOffsetMs = camera.recorder().clockOffset().toMillis();
        this.recordingOriginMs = epochMs + clockOffsetMs;
        this.masked = camera.recorder().privacyMask();
    }

    SimulatedCamera camera() {
        return camera;
    }

    long epochNanos() {
        return epochNanos;
    }

    /** The recorder's clock at {@code nanos} (a System.nanoTime()): this machine's plus the offset. */
    long recorderTimeMs(long nanos) {
        return epochMs + TimeUnit.NANOSECONDS.toMillis(nanos - epochNanos) + clockOffsetMs;
    }

    /** The recorder's clock when the camera started, offset included. */
    long recorderEpochMs() {
        return epochMs + clockOffsetMs;
    }

    /**
     * The recorder's clock when the camera started, with its offset then (a later step does not move what was
     * recorded): the time the camera's recording runs up to before live ({@link SimulatedRecording}).
     */
    long recordingOriginMs() {
        return recordingOriginMs;
    }

    /** Steps the recorder's clock (an NTP correction): picture times after it are {@code step} later. */
    void stepClock(Duration step) {
        clockOffsetMs += step.toMillis();
    }

    boolean masked() {
        return masked;
    }

    void setMasked(boolean on) {
        masked = on;
    }

    boolean connected() {
        return connected;
    }

    void setConnected(boolean on) {
        connected = on;
    }

    void pictureSent(boolean withMask) {
        (withMask ? maskedPictures : unmaskedPictures).incrementAndGet();
    }

    long unmaskedPictures() {
        return unmaskedPictures.get();
    }

    long maskedPictures() {
        return maskedPictures.get();
    }
}
