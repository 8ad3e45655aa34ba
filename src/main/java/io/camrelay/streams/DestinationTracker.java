package io.camrelay.streams;

import io.camrelay.support.Secrets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live counters and state of one destination of a stream. Counter methods are cheap enough to call per frame
 * from an event loop (atomics, no locks); state changes go through the owning {@link StreamTracker}. While the
 * stream's outputs hold this destination (docs/design.md §7a), a STREAMING sink shows as HOLDING.
 */
public final class DestinationTracker {

    private final StreamTracker stream;
    private final Destination destination;
    private final String maskedUrl;
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong droppedFrames = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong publishes = new AtomicLong();
    /** The state the sink reported; what is shown also looks at {@link #holdingSince}. */
    private volatile StreamState state = StreamState.STARTING;
    private volatile String lastError;
    private volatile Instant holdingSince;
    /** What earlier sinks of this destination counted, when a sink reports its own totals ({@link #counters}). */
    private long baseFrames;
    private long baseBytes;
    private long baseDropped;
    private long baseReconnects;
    private long basePublishes;

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
        basePublishes = publishes.get();
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

    /** As {@link #counters(long, long, long, long)}, with the publishes the server accepted since {@link #newSink}. */
    public synchronized void counters(long frames, long bytes, long dropped, long republishes, long accepted) {
        counters(frames, bytes, dropped, republishes);
        publishes.set(basePublishes + accepted);
    }

    /** The server accepted a publish, or a file was started: one more for the status contract's {@code publishes}. */
    public void onPublished() {
        publishes.incrementAndGet();
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

    /**
     * The stream's outputs hold this destination since {@code since} (the hold picture and silence go out), or no
     * longer when {@code null}.
     */
    void holding(Instant since) {
        holdingSince = since;
        stream.recompute();
    }

    /** Since when the destination holds, or null. */
    public Instant holdingSince() {
        return holdingSince;
    }

    /** The destination's state: the sink's, shown as HOLDING while held and otherwise streaming. */
    public StreamState state() {
        StreamState s = state;
        return s == StreamState.STREAMING && holdingSince != null ? StreamState.HOLDING : s;
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

    /** Accepted publishes (files started) since CamRelay started. */
    public long publishes() {
        return publishes.get();
    }

    /** The last error (masked), or null. */
    public String lastError() {
        return lastError;
    }

    DestinationStatus snapshot() {
        return new DestinationStatus(maskedUrl, state(), framesSent.get(), bytesSent.get(), droppedFrames.get(),
                reconnects.get(), lastError, publishes.get(), holdingSince);
    }
}
