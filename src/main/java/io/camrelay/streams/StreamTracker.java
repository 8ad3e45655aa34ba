package io.camrelay.streams;

import io.camrelay.support.Secrets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live status of one stream. {@link #onFrame} is meant to be called per frame from the camera's event loop: it
 * touches only atomics. State changes are rare and synchronized; they recompute the stream's state, which is the
 * worst of its own and its destinations' (a stream is STREAMING only when every destination is). While the stream's
 * outputs hold (docs/design.md §7a) the stream is HOLDING instead of the camera side's STARTING or RECONNECTING; its
 * own ERROR (a stream of nothing but bad pictures, a broadcast ended on purpose) still shows as ERROR.
 */
public final class StreamTracker {

    /** YouTube rejects key-frame intervals over 4 s (YouTube Live encoder settings). */
    static final long MAX_KEYFRAME_INTERVAL_MS = 4000;
    /** Key-frame intervals longer than this are a camera pause, not a GOP. */
    static final long IGNORED_KEYFRAME_GAP_MS = 60_000;
    /** The warnings key of the gates' reason. */
    static final String GATE_WARNING = "gate";

    private final String id;
    private final StreamStatusRegistry registry;
    private final RateWindow window = new RateWindow();
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong lastKeyFramePictureMs = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong keyframeIntervalMs = new AtomicLong(-1);
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong sourceReconnects = new AtomicLong();
    private final AtomicLong skippedPictures = new AtomicLong();
    private final Map<String, String> warnings = new ConcurrentHashMap<>();

    private volatile StreamDefinition definition;
    private volatile String name;
    private volatile StreamSource source;
    private volatile String cameraId;
    private volatile String cameraName;
    private volatile String codec;
    private volatile Integer width;
    private volatile Integer height;
    private volatile String lastError;
    private volatile String sourceLastError;
    private volatile Instant holdingSince;
    private volatile long cameraEpoch;
    /** The current ImageServer session was lost and has not streamed since. */
    private volatile boolean sourceSessionLost;
    private volatile List<DestinationTracker> destinations = List.of();
    /** The stream's own state, set by the route; the reported state also looks at the destinations. */
    private volatile StreamState ownState = StreamState.STOPPED;
    private volatile boolean errorLoggedByCaller;
    private volatile Instant nextStart;
    private volatile String owner;
    private volatile StreamState state = StreamState.STOPPED;
    private volatile Instant since;

    StreamTracker(String id, StreamStatusRegistry registry) {
        this.id = id;
        this.registry = registry;
        this.since = registry.now();
    }

    /** The stream id. */
    public String id() {
        return id;
    }

    /**
     * One frame from the camera: {@code size} bytes, whether it is a key frame, its picture time (camera clock, ms).
     * Lock-free; safe to call per frame.
     */
    public void onFrame(long size, boolean keyFrame, long pictureTimeMs) {
        framesIn.incrementAndGet();
        window.add(registry.monotonicMs(), size);
        if (keyFrame) {
            long previous = lastKeyFramePictureMs.getAndSet(pictureTimeMs);
            long interval = pictureTimeMs - previous;
            if (previous != Long.MIN_VALUE && interval > 0 && interval < IGNORED_KEYFRAME_GAP_MS) {
                keyframeIntervalMs.set(interval);
            }
        }
    }

    /** The video format, from the sequence header (SPS). */
    public void videoFormat(String codecName, int pictureWidth, int pictureHeight) {
        codec = codecName;
        width = pictureWidth;
        height = pictureHeight;
    }

    /** The camera the definition resolved to. */
    public void camera(String resolvedCameraId, String resolvedCameraName) {
        cameraId = resolvedCameraId;
        cameraName = resolvedCameraName;
    }

    /**
     * Sets the stream's own state; {@code error} (masked here) becomes the last error when not {@code null}. The
     * destinations keep their own states: they belong to the stream's outputs, which outlive the camera side.
     */
    public void state(StreamState newState, String error) {
        lastError(error);
        synchronized (this) {
            ownState = newState;
            if (newState == StreamState.STARTING || newState == StreamState.RECONNECTING
                    || newState == StreamState.ERROR) {
                cameraEpoch++;
            }
        }
        recompute();
    }

    /**
     * Shows {@code error} (masked here) as the last error without changing the state: for a caller whose next step
     * changes it, so the state's watchers see the new state with its reason.
     */
    public void lastError(String error) {
        if (error != null) {
            lastError = Secrets.maskUrlsIn(error);
        }
    }

    /**
     * The gates' verdict ({@link StreamGate}): when closed the stream's own state becomes the gate's (SCHEDULED,
     * STANDBY) with its next start; the owner is shown either way. The verdict's reason is shown among the warnings
     * (a gate's note on an open stream too, e.g. a polar day), or as the last error when the gate says ERROR.
     */
    public void gate(StreamGate.Verdict verdict) {
        owner = verdict.owner();
        nextStart = verdict.open() ? null : verdict.nextStart();
        boolean error = verdict.state() == StreamState.ERROR;
        warning(GATE_WARNING, error ? null : verdict.reason());
        if (!verdict.open()) {
            state(verdict.state(), error ? verdict.reason() : null);
        }
    }

    /** The next ERROR's reason is logged by whoever sets it: the registry's state log does not repeat it. */
    void errorLoggedByCaller() {
        errorLoggedByCaller = true;
    }

    /** Whether the ERROR just entered was logged by its caller (and forgets it). */
    boolean takeErrorLoggedByCaller() {
        boolean was = errorLoggedByCaller;
        errorLoggedByCaller = false;
        return was;
    }

    /** Changes whenever the camera side (re)starts or fails: a key frame after a change is a session's first. */
    long cameraEpoch() {
        return cameraEpoch;
    }

    /** The route was restarted after an error. */
    public void onRestart() {
        restarts.incrementAndGet();
    }

    /**
     * The camera side was lost for {@code reason} (masked here): shown as {@code sourceLastError} until the next
     * loss; the route's own state is the caller's to set.
     */
    public void sourceLost(String reason) {
        sourceSessionLost = true;
        if (reason != null) {
            sourceLastError = Secrets.maskUrlsIn(reason);
        }
    }

    /** A new ImageServer session started (the route's start): what it re-establishes later counts as reconnects. */
    public void sourceSessionStarted() {
        sourceSessionLost = false;
    }

    /**
     * The ImageServer session streams (its first picture is about to arrive): after a loss within the same session
     * ({@link #sourceLost}) that is one more of {@code sourceReconnects}, a reconnect inside the consumer without a
     * route restart. The frame rate and bit rate count from a second later: a recorder sends its buffered GOP first.
     */
    public void sourceSessionStreaming() {
        window.restart(registry.monotonicMs()); // the recorder's buffered GOP comes first, at once
        if (sourceSessionLost) {
            sourceSessionLost = false;
            sourceReconnects.incrementAndGet();
        }
    }

    /** One picture was skipped (unreadable, or not a picture); counted in {@code skippedPictures}. */
    public void onPictureSkipped() {
        skippedPictures.incrementAndGet();
    }

    /** Sessions re-established inside the consumer. */
    public long sourceReconnects() {
        return sourceReconnects.get();
    }

    /** Pictures skipped so far. */
    public long skippedPictures() {
        return skippedPictures.get();
    }

    /** The stream's outputs hold since {@code since} (camera side lost), or no longer when {@code null}. */
    void holding(Instant since) {
        holdingSince = since;
        recompute();
    }

    /** Since when the stream's outputs hold, or null. */
    public Instant holdingSince() {
        return holdingSince;
    }

    /** Sets or replaces a warning under {@code key}; {@code null} message clears it. */
    public void warning(String key, String message) {
        if (message == null) {
            warnings.remove(key);
        } else {
            warnings.put(key, Secrets.maskUrlsIn(message));
        }
    }

    /** The destination with the URL {@code url} (as defined, with the key), or {@code null}. */
    public DestinationTracker destination(String url) {
        for (DestinationTracker d : destinations) {
            if (d.destination().url().equals(url)) {
                return d;
            }
        }
        return null;
    }

    /** The destinations in definition order. */
    public List<DestinationTracker> destinations() {
        return destinations;
    }

    /** The reported state: the worst of the stream's own state and its destinations'. */
    public StreamState currentState() {
        return state;
    }

    /** The stream's own state, as last set by the route (without looking at destinations). */
    StreamState ownState() {
        return ownState;
    }

    /** Frames received so far. */
    public long framesIn() {
        return framesIn.get();
    }

    /** The definition it runs with (its destination URLs hold keys: never show them), or null. */
    public StreamDefinition definition() {
        return definition;
    }

    /** Takes a (new) definition: name, source and destinations; counters of unchanged destinations are kept. */
    void define(StreamDefinition def) {
        synchronized (this) {
            takeDefinition(def);
        }
        recompute();
    }

    private void takeDefinition(StreamDefinition def) {
        definition = def;
        name = def.name();
        source = def.source();
        List<DestinationTracker> old = destinations;
        List<DestinationTracker> next = new ArrayList<>();
        for (Destination d : def.destinations()) {
            DestinationTracker kept = null;
            for (DestinationTracker o : old) {
                if (o.destination().equals(d)) {
                    kept = o;
                }
            }
            next.add(kept != null ? kept : new DestinationTracker(this, d));
        }
        destinations = List.copyOf(next);
        warning("untrusted-certificates", def.destinations().stream()
                .filter(d -> d.allowUntrustedCertificates() && !d.isFile()).map(Destination::maskedUrl)
                .reduce((a, b) -> a + ", " + b)
                .map(urls -> "certificates are not verified for " + urls + " (allowUntrustedCertificates)")
                .orElse(null));
        if (!def.enabled()) {
            ownState = StreamState.DISABLED;
        } else if (ownState == StreamState.DISABLED) {
            ownState = StreamState.STOPPED;
        }
    }

    /** Takes a problem: the stream is in ERROR with the reason and has no destinations to show beyond the name. */
    void problem(StreamProblem problem) {
        synchronized (this) {
            definition = null;
            name = problem.name();
            source = problem.source();
            destinations = List.of();
            warnings.clear();
            lastError = problem.reason();
            ownState = StreamState.ERROR;
        }
        recompute();
    }

    /** Recomputes the reported state and notes when it changed. */
    void recompute() {
        StreamState before;
        StreamState after;
        synchronized (this) {
            before = state;
            after = ownState;
            boolean live = ownState == StreamState.STREAMING || ownState == StreamState.STARTING
                    || ownState == StreamState.RECONNECTING;
            if (live && holdingSince != null) {
                after = StreamState.HOLDING;
            }
            if (live) {
                for (DestinationTracker d : destinations) {
                    if (d.state() == StreamState.DISABLED) {
                        continue;
                    }
                    StreamState ds = d.state();
                    if (ds.severity() > after.severity()
                            || (after == StreamState.STREAMING && ds != StreamState.STREAMING)) {
                        after = ds == StreamState.STOPPED ? StreamState.STARTING : ds;
                    }
                }
            }
            if (after == before) {
                return;
            }
            state = after;
            since = registry.now();
        }
        registry.stateChanged(this, before, after);
    }

    /** The stream's status now. */
    public StreamStatus snapshot() {
        long nowMs = registry.monotonicMs();
        double[] rates = window.rates(nowMs);
        long interval = keyframeIntervalMs.get();
        List<String> shown = new ArrayList<>();
        if (interval > MAX_KEYFRAME_INTERVAL_MS) {
            shown.add(String.format(Locale.ROOT, "key-frame interval %.1f s: YouTube requires 4 s or less — set the"
                    + " camera's GOP / I-frame interval to 2 s in the Management Client", interval / 1000.0));
        }
        warnings.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> shown.add(e.getValue()));
        List<DestinationStatus> dests = new ArrayList<>();
        for (DestinationTracker d : destinations) {
            dests.add(d.snapshot());
        }
        boolean live = state == StreamState.STREAMING || state == StreamState.STARTING
                || state == StreamState.RECONNECTING || state == StreamState.HOLDING;
        Double fps = rates == null || !live ? null : Math.round(rates[0] * 10) / 10.0;
        Long kbps = rates == null || !live ? null : Math.round(rates[1] * 8 / 1000);
        return new StreamStatus(id, name, cameraId, cameraName, state, since, source, codec, width, height, fps, kbps,
                interval < 0 ? null : interval, framesIn.get(), restarts.get(), lastError, dests, shown,
                sourceReconnects.get(), sourceLastError, holdingSince, skippedPictures.get(), nextStart, owner);
    }

}
