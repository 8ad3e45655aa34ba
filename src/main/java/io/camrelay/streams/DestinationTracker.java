package io.camrelay.streams;

import io.camrelay.support.Secrets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live counters and state of one destination of a stream. Counter methods are cheap enough to call per frame
 * from an event loop (atomics, no locks); state changes go through the owning {@link StreamTracker}.
 */
public final class DestinationTracker {

    private final StreamTracker stream;
    private final Destination destination;
    private final String maskedUrl;
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong droppedFrames = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile StreamState state = StreamState.STARTING;
    private volatile String lastError;
    /** What earlier sinks of this destination counted, when a sink reports its own totals ({@link #counters}). */
    private long baseFrames;
    private long baseBytes;
    private long baseDropped;
    private long baseReconnects;

    DestinationTracker(StreamTracker stream, Destination destination) {
        this.stream = stream;
        this.destination = destination;
        this.maskedUrl = destination.maskedUrl();
    }

    /** The destination as defined (its URL holds the key: never show it). */
    Destination destination() {
        return destination;
    }

    /** The URL with the key masked. */
    public String maskedUrl() {
        return maskedUrl;
    }

    /** A frame of {@code size} bytes was written to the destination. */
    public void onFrameSent(long size) {
        framesSent.incrementAndGet();
        bytesSent.addAndGet(size);
    }

    /** A new sink starts for this destination: its own totals ({@link #counters}) add to what is counted so far. */
    public synchronized void newSink() {
        baseFrames = framesSent.get();
        baseBytes = bytesSent.get();
        baseDropped = droppedFrames.get();
        baseReconnects = reconnects.get();
    }

    /**
     * The current sink's own totals since {@link #newSink}: frames and bytes written, frames dropped, republishes
     * begun. For sinks whose component counts for itself (an RTMP publisher).
     */
    public synchronized void counters(long frames, long bytes, long dropped, long republishes) {
        framesSent.set(baseFrames + frames);
        bytesSent.set(baseBytes + bytes);
        droppedFrames.set(baseDropped + dropped);
        reconnects.set(baseReconnects + republishes);
    }

    /** The send queue dropped {@code count} frames. */
    public void onFramesDropped(long count) {
        droppedFrames.addAndGet(count);
    }

    /** A republish after a loss began: counts it and shows RECONNECTING with the reason. */
    public void onReconnecting(String reason) {
        reconnects.incrementAndGet();
        state(StreamState.RECONNECTING, reason);
    }

    /** Sets the state; {@code error} (masked here) is kept as the last error when not {@code null}. */
    public void state(StreamState newState, String error) {
        if (error != null) {
            lastError = Secrets.maskUrlsIn(error);
        }
        state = newState;
        stream.recompute();
    }

    /** Sets the state without recomputing the stream's (the stream does that itself). */
    void reset(StreamState newState) {
        state = newState;
    }

    /** The destination's state. */
    public StreamState state() {
        return state;
    }

    /** Counted so far. */
    public long framesSent() {
        return framesSent.get();
    }

    /** Counted so far. */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Counted so far. */
    public long droppedFrames() {
        return droppedFrames.get();
    }

    /** Counted so far. */
    public long reconnects() {
        return reconnects.get();
    }

    DestinationStatus snapshot() {
        return new DestinationStatus(maskedUrl, state, framesSent.get(), bytesSent.get(), droppedFrames.get(),
                reconnects.get(), lastError);
    }
}
