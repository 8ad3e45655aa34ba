package io.camrelay.streams;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.media.SilentAac;
import io.camrelay.media.SilentAudioInterleaver;
import io.camrelay.support.Durations;
import io.camrelay.support.Secrets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A stream's outputs (docs/design.md §7a): its destinations' sinks and the broadcast's continuity. They belong to
 * the stream, not to its route: the reconciler opens them when the stream is defined and closes them when it is
 * removed, disabled or the application stops, so a restart of the camera side (the error handler's, a new camera)
 * never unpublishes. The route's last step hands each picture over ({@link #deliver}); the outputs stamp it on the
 * stream's one continuous timeline ({@link OutputTimeline}), add the stream's one silent track, and send it to every
 * sink. When the camera side is lost they hold: every destination keeps its publish and gets the hold picture (the
 * last key frame repeated, or the slate) at least every {@value HoldPictures#FREEZE_INTERVAL_MS} ms with continuous
 * silence, until the camera's next key frame resumes the stream, or {@code hold.maxDuration} unpublishes them
 * ("parked": they publish again at the camera's next key frame). A skipped picture is bridged the same way, without
 * showing HOLDING. Thread-safe: one lock, taken by the route's thread, the hold timer, the session listener, the
 * failure handler and the reconciler; sinks are stopped off the lock.
 */
public final class StreamOutputs {

    /** A camera that sends nothing for this long (or 4 frame intervals, if longer) is lost: hold. */
    static final long STALL_MIN_MS = 1500;
    /** ... as frame intervals. */
    static final int STALL_FRAMES = 4;
    /** Hold pictures sent per tick at most, so a late tick catches up without a flood. */
    static final int MAX_HOLD_PICTURES_PER_TICK = 20;
    /** A session error the failure handling has not decided on after this long is held as any loss. */
    static final long DECISION_TIMEOUT_MS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(StreamOutputs.class);

    /** Where the outputs run: shared by every stream's outputs ({@link StreamOutputsRegistry}). */
    record Environment(CamelContext camel, DestinationTypes types, HoldDecision decision, LongSupplier nanoClock,
                       Clock clock, Executor stopper, BooleanSupplier appStopping) {
        Environment {
            Objects.requireNonNull(types, "types");
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(nanoClock, "nanoClock");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(stopper, "stopper");
            Objects.requireNonNull(appStopping, "appStopping");
        }

        /** Stops {@code sink} of {@code output} on the stopper (it may block), then shows {@code reason}. */
        void stopLater(DestinationSink sink, DestinationOutput output, String reason) {
            stopper.execute(() -> output.stopSink(sink, reason));
        }
    }

    private enum Phase {
        /** Camera pictures go out (or none came yet). */
        LIVE,
        /** Hold pictures go out. */
        HOLDING,
        /** The session reported an error; nothing goes out until the failure handling decides (hold or end). */
        AWAITING_DECISION,
        /** The sinks are stopped; the camera's next key frame starts them again. */
        PARKED
    }

    private final String streamId;
    private final StreamTracker tracker;
    private final Environment env;
    private final Map<Destination, DestinationOutput> outputs = new LinkedHashMap<>();
    /** Viewers attached while someone watches ({@link #watch}): no definition, no status, no stopping the stream. */
    private final List<DestinationSink> viewers = new ArrayList<>();
    private final OutputTimeline timeline = new OutputTimeline();
    private final SilentAudioInterleaver audio = new SilentAudioInterleaver(SilentAac.DEFAULT);
    private HoldSettings hold;
    private Duration rotate;
    private HoldSlate slate;
    private Phase phase = Phase.LIVE;
    private boolean closed;
    /** After a hold, a skipped picture or a park: camera pictures wait for a key frame. */
    private boolean waitForKeyFrame = true;
    private FlvTag metadata;
    private FlvTag cameraHeader;
    /** The AVC sequence header the destinations have now: the camera's or the slate's. */
    private FlvTag sentHeader;
    private FlvTag aacHeader;
    /**
     * The last key frame's body, for a freeze hold: copied into this stream's own buffer rather than keeping the
     * picture. A kept picture lives a key-frame interval (2 s), outlives a dozen young collections and is promoted,
     * so at 100 cameras 2 MB/s of key frames filled the old generation and a full collection paused the relay for
     * 75 ms every ~100 s (docs/performance.md, round two); the buffer is allocated once and overwritten.
     */
    private byte[] lastKeyFrameBody;
    private int lastKeyFrameLength = -1;
    private long lastKeyFrameTimestamp;
    private boolean lastKeyFrameDisposable;
    private HoldPictures holdPictures;
    private long holdNext;
    private long holdStartNanos;
    private Instant holdingSince;
    private String holdReason;
    /** The first camera picture received while holding, for the resume delay. */
    private long firstPictureInHoldNanos;
    private long awaitingSinceNanos;
    private long lastReceivedNanos;
    private final SkippedPictureCount skips;

    StreamOutputs(StreamDefinition definition, StreamTracker tracker, Environment env) {
        this.streamId = definition.id();
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.env = env;
        this.skips = new SkippedPictureCount(streamId, tracker, env.nanoClock().getAsLong());
        update(definition);
    }

    /** Takes a (changed) definition: opens new destinations, stops removed ones, applies hold and rotate at once. */
    synchronized void update(StreamDefinition definition) {
        if (closed) {
            return;
        }
        if (!Objects.equals(hold, definition.hold())) {
            hold = definition.hold();
            slate = loadSlate(hold.slate());
        }
        boolean rotateChanged = !Objects.equals(rotate, definition.rotate());
        rotate = definition.rotate();
        Map<Destination, DestinationOutput> kept = new LinkedHashMap<>();
        for (Destination d : definition.destinations()) {
            DestinationOutput o = outputs.remove(d);
            if (o == null) {
                DestinationTracker status = tracker.destination(d.url());
                if (status == null) {
                    continue; // not (yet) in the status: the registry defines a stream before its outputs
                }
                o = new DestinationOutput(streamId, d, status, env.types().typeOf(d.url()).orElse(null), env);
                if (phase != Phase.PARKED) {
                    o.start(headers(), rotate);
                }
            } else if (rotateChanged) {
                o.rotateEvery(rotate);
            }
            kept.put(d, o);
        }
        for (DestinationOutput removed : outputs.values()) {
            stop(removed, null);
        }
        outputs.clear();
        outputs.putAll(kept);
        if (holdingSince != null) {
            kept.values().forEach(o -> o.status().holding(holdingSince));
        }
    }

    /** The route's last step: one picture's tags (from the route's timeline; audio tags are replaced). */
    public synchronized void deliver(List<FlvTag> tags, long receiveNanos) {
        if (closed) {
            return;
        }
        long now = env.nanoClock().getAsLong();
        lastReceivedNanos = now;
        FlvTag picture = null;
        boolean newMetadata = false;
        for (FlvTag t : tags) {
            if (t.type() == FlvTagType.SCRIPT) {
                newMetadata |= metadata == null || !Arrays.equals(metadata.bodyUnsafe(), t.bodyUnsafe());
                metadata = t;
            } else if (t.type() == FlvTagType.VIDEO && t.sequenceHeader()) {
                cameraHeader = sameBody(cameraHeader, t) ? cameraHeader : t;
            } else if (t.type() == FlvTagType.VIDEO) {
                picture = t;
            }
        }
        if (picture == null || phase == Phase.AWAITING_DECISION) {
            return;
        }
        skips.good();
        if (phase == Phase.HOLDING && firstPictureInHoldNanos == 0) {
            firstPictureInHoldNanos = now;
        }
        if (waitForKeyFrame && !picture.keyFrame()) {
            return;
        }
        if (phase == Phase.PARKED) {
            phase = Phase.LIVE;
            log(() -> LOG.info("stream {}: the camera is back; publishing its destinations again", streamId));
            sentHeader = cameraHeader;
            List<FlvTag> headers = headers();
            outputs.values().forEach(o -> o.start(headers, rotate));
            newMetadata = false;
        } else if (phase == Phase.HOLDING) {
            // the camera side streams before the hold ends (a hold ends on a key frame): watchers of the state see
            // HOLDING -> STREAMING, not a STARTING of a moment between them
            tracker.state(StreamState.STREAMING, null);
            endHold(now);
        }
        waitForKeyFrame = false;
        long ts = timeline.camera(picture.timestamp(), now);
        List<FlvTag> out = new ArrayList<>(3);
        if (newMetadata && metadata != null) {
            out.add(metadata.withTimestamp(ts));
        }
        if (cameraHeader != null && cameraHeader != sentHeader) {
            out.add(cameraHeader.withTimestamp(ts));
            sentHeader = cameraHeader;
        }
        out.add(picture.withTimestamp(ts));
        if (picture.keyFrame()) {
            keepKeyFrame(picture);
            if (tracker.ownState() != StreamState.STREAMING) {
                tracker.state(StreamState.STREAMING, null);
            }
        }
        send(out, receiveNanos);
    }

    /**
     * A picture of the route was skipped for {@code reason}: counted and logged at most once a minute; when it
     * {@code breaksVideo} (a picture of the video, not a packet of another data type) the following pictures wait for
     * the next key frame and the gap is bridged with hold pictures.
     */
    public synchronized void pictureSkipped(String reason, boolean breaksVideo) {
        long now = env.nanoClock().getAsLong();
        skips.skipped(reason, breaksVideo, now);
        if (!breaksVideo || closed) {
            return;
        }
        lastReceivedNanos = now;
        waitForKeyFrame = true;
        if (phase == Phase.LIVE) {
            startHold(now, false, "a picture was skipped");
        }
    }

    /** The ImageServer session was lost (it reconnects): hold at once. */
    public synchronized void cameraLost(String reason) {
        tracker.sourceLost(reason);
        if (phase == Phase.LIVE || phase == Phase.HOLDING) {
            startHold(env.nanoClock().getAsLong(), true, reason);
        }
        waitForKeyFrame = true;
    }

    /**
     * The ImageServer session failed in a way the failure handling decides on ({@link #cameraFailed}): nothing goes
     * out until then, so a camera that must not be published gets no hold picture after its refusal.
     */
    public synchronized void awaitDecision(String reason) {
        tracker.sourceLost(reason);
        if (phase == Phase.LIVE || phase == Phase.HOLDING) {
            phase = Phase.AWAITING_DECISION; // a hold's pictures and grid are kept for the decision to go on with
            awaitingSinceNanos = env.nanoClock().getAsLong();
        }
        waitForKeyFrame = true;
    }

    /**
     * The camera side failed with {@code cause} and its route restarts: holds when the {@link HoldDecision} says so,
     * else ends the broadcast at once (the sinks unpublish; the caller shows ERROR).
     *
     * @return whether the destinations now hold
     */
    public synchronized boolean cameraFailed(Throwable cause, String reason) {
        tracker.sourceLost(reason);
        waitForKeyFrame = true;
        if (!env.decision().holds(cause)) {
            // the failure handling logs the reason once (its ERROR line); this line says only what happens to it
            parkQuietly("the broadcast was ended: " + reason, "the broadcast was ended (the camera must not be held)");
            return false;
        }
        if (phase == Phase.AWAITING_DECISION) {
            phase = holdPictures != null ? Phase.HOLDING : Phase.LIVE;
        }
        if (phase == Phase.LIVE) {
            startHold(env.nanoClock().getAsLong(), true, reason);
        }
        return phase == Phase.HOLDING;
    }

    /** The camera side of the route stopped (the error handler's restart, a redefinition, a stop). */
    synchronized void cameraSideStopped() {
        if (closed || env.appStopping().getAsBoolean()) {
            return;
        }
        waitForKeyFrame = true;
        if (hold.mode() == HoldMode.OFF) {
            park("the camera side of the stream stopped (hold.mode off)", false);
        } else if (phase == Phase.LIVE) {
            startHold(env.nanoClock().getAsLong(), true, "the camera side of the stream stopped");
        }
    }

    /** The hold timer (every {@link StreamOutputsRegistry#TICK_MS} ms, off the camera's event loop). */
    synchronized void tick() {
        if (closed) {
            return;
        }
        long now = env.nanoClock().getAsLong();
        if (phase == Phase.AWAITING_DECISION
                && now - awaitingSinceNanos >= TimeUnit.MILLISECONDS.toNanos(DECISION_TIMEOUT_MS)) {
            phase = holdPictures != null ? Phase.HOLDING : Phase.LIVE; // no decision came: a loss like any other
        }
        if (phase == Phase.LIVE && timeline.started()
                && now - lastReceivedNanos >= TimeUnit.MILLISECONDS.toNanos(stallMs())) {
            startHold(now, true, "no picture from the camera for "
                    + TimeUnit.NANOSECONDS.toMillis(now - lastReceivedNanos) + " ms");
        }
        if (phase == Phase.HOLDING) {
            if (now - holdStartNanos >= hold.maxDuration().toNanos()) {
                park("held for " + Durations.human(hold.maxDuration()) + " without the camera (hold.maxDuration):"
                        + " unpublished; publishing again when the camera returns", false);
            } else {
                emitHoldPictures(now);
            }
        }
        skips.tick(now);
    }

    /** Stops every sink (the stream was removed or disabled, or the application stops); the outputs are spent. */
    synchronized List<Runnable> close() {
        closed = true;
        endHoldVisibility();
        List<Runnable> stops = new ArrayList<>();
        for (DestinationOutput o : outputs.values()) {
            DestinationSink s = o.detach();
            if (s != null) {
                stops.add(() -> o.stopSink(s, null));
            }
        }
        outputs.clear();
        for (DestinationSink v : viewers) {
            stops.add(() -> stopViewer(v));
        }
        viewers.clear();
        return stops;
    }

    /**
     * Attaches a viewer (the live preview, architecture §12): a sink that is no destination of the definition and
     * shows in no status. It gets the metadata and sequence headers the destinations have now, then every picture
     * they get (hold pictures included), until {@link #unwatch}; it must start itself at a key frame. Its
     * {@link DestinationSink#send} must return at once (it is called under this lock, from the route's thread); one
     * that throws is detached and stopped, and nothing else happens to the stream. Costs nothing while none watches.
     *
     * @return false when the outputs are closed (the stream was removed or disabled): nothing to watch
     */
    public synchronized boolean watch(DestinationSink viewer) {
        Objects.requireNonNull(viewer, "viewer");
        if (closed) {
            return false;
        }
        viewers.add(viewer);
        List<FlvTag> headers = headers();
        if (!headers.isEmpty()) {
            sendToViewer(viewer, headers, StreamDestinations.NO_RECEIVE_TIME);
        }
        return true;
    }

    /** Detaches {@code viewer} (it is not stopped: its owner ends it). */
    public synchronized void unwatch(DestinationSink viewer) {
        viewers.remove(viewer);
    }

    /** Viewers attached now. */
    public synchronized int viewers() {
        return viewers.size();
    }

    private void sendToViewer(DestinationSink viewer, List<FlvTag> tags, long receiveNanos) {
        try {
            viewer.send(tags, receiveNanos);
        } catch (Exception e) {
            viewers.remove(viewer);
            env.stopper().execute(() -> stopViewer(viewer));
        }
    }

    private void stopViewer(DestinationSink viewer) {
        try {
            viewer.stop();
        } catch (Exception e) {
            LOG.debug("stream {}: stopping a viewer", streamId, e);
        }
    }

    /** The stream these outputs belong to. */
    public String streamId() {
        return streamId;
    }

    /** The stream's status. */
    StreamTracker tracker() {
        return tracker;
    }

    /** Whether the destinations hold now (tests and the failure handling). */
    synchronized boolean holding() {
        return phase == Phase.HOLDING;
    }

    /** Whether the sinks are stopped, waiting for the camera (tests). */
    synchronized boolean parked() {
        return phase == Phase.PARKED;
    }

    /** Copies {@code picture}'s body into the key-frame buffer, which is reallocated only when far off in size. */
    private void keepKeyFrame(FlvTag picture) {
        int size = picture.size();
        if (lastKeyFrameBody == null || size > lastKeyFrameBody.length || size < lastKeyFrameBody.length / 4) {
            lastKeyFrameBody = new byte[size + size / 8]; // headroom for the next, slightly larger
        }
        picture.copyBody(lastKeyFrameBody, 0);
        lastKeyFrameLength = size;
        lastKeyFrameTimestamp = picture.timestamp();
        lastKeyFrameDisposable = picture.disposable();
    }

    /** The last key frame as a tag of its own (a copy: the buffer is overwritten by the next key frame). */
    private FlvTag lastKeyFrame() {
        return FlvTag.video(lastKeyFrameTimestamp, true, false, lastKeyFrameDisposable,
                Arrays.copyOf(lastKeyFrameBody, lastKeyFrameLength));
    }

    // ---- holding (under the lock) ----

    private long stallMs() {
        return Math.max(STALL_MIN_MS, Math.round(STALL_FRAMES * timeline.frameIntervalMs()));
    }

    private void startHold(long now, boolean visible, String reason) {
        if (hold.mode() == HoldMode.OFF || closed) {
            return;
        }
        if (phase != Phase.HOLDING) {
            HoldPictures pictures = hold.mode() == HoldMode.SLATE && slate != null ? slate.pictures()
                    : lastKeyFrameLength >= 0 ? HoldPictures.freeze(lastKeyFrame()) : null;
            if (pictures == null || !timeline.started()) {
                return; // nothing went out yet: there is no broadcast to keep
            }
            phase = Phase.HOLDING;
            holdPictures = pictures;
            holdNext = 1;
            holdStartNanos = now;
            firstPictureInHoldNanos = 0;
            timeline.release();
        }
        waitForKeyFrame = true;
        if (visible && holdingSince == null) {
            holdingSince = env.clock().instant();
            holdReason = reason;
            tracker.holding(holdingSince);
            outputs.values().forEach(o -> o.status().holding(holdingSince));
            log(() -> LOG.info("stream {} is HOLDING ({}): {}; every destination keeps its publish", streamId,
                    hold.mode().yamlName(), Secrets.maskUrlsIn(reason)));
        }
        emitHoldPictures(now);
    }

    private void emitHoldPictures(long now) {
        for (int i = 0; i < MAX_HOLD_PICTURES_PER_TICK; i++) {
            long offset = holdPictures.offsetMs(holdNext);
            if (timeline.dueNanos(offset) > now) {
                return;
            }
            long ts = timeline.holdTimestamp(offset);
            List<FlvTag> out = new ArrayList<>(2);
            FlvTag header = holdPictures.sequenceHeader();
            if (header != null && !sameBody(sentHeader, header)) {
                out.add(header.withTimestamp(ts));
                sentHeader = header;
            }
            out.add(holdPictures.picture(holdNext).withTimestamp(ts));
            holdNext++;
            send(out, StreamDestinations.NO_RECEIVE_TIME);
        }
    }

    private void endHold(long now) {
        phase = Phase.LIVE;
        holdPictures = null;
        if (holdingSince != null) {
            long heldMs = Duration.between(holdingSince, env.clock().instant()).toMillis();
            long waitedMs = firstPictureInHoldNanos == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(now
                    - firstPictureInHoldNanos);
            log(() -> LOG.info("stream {} resumed after holding {} (the camera's key frame came {} ms after its first"
                    + " picture)", streamId, Durations.human(Duration.ofMillis(heldMs)), waitedMs));
        }
        endHoldVisibility();
    }

    private void endHoldVisibility() {
        if (holdingSince != null) {
            holdingSince = null;
            holdReason = null;
            tracker.holding(null);
            outputs.values().forEach(o -> o.status().holding(null));
        }
    }

    /** Stops every sink until the camera's next key frame; each destination shows {@code reason}. */
    private void park(String reason, boolean now) {
        park(reason, now, reason);
    }

    /** Parks at once, logging {@code logged} instead of the reason (which someone else logs). */
    private void parkQuietly(String reason, String logged) {
        park(reason, true, logged);
    }

    private void park(String reason, boolean now, String logged) {
        if (phase == Phase.PARKED) {
            return;
        }
        phase = Phase.PARKED;
        holdPictures = null;
        waitForKeyFrame = true;
        timeline.release();
        endHoldVisibility();
        log(() -> {
            if (now) {
                LOG.warn("stream {}: {}; its destinations unpublish now", streamId, Secrets.maskUrlsIn(logged));
            } else {
                LOG.warn("stream {}: {}", streamId, Secrets.maskUrlsIn(logged));
            }
        });
        outputs.values().forEach(o -> stop(o, reason));
    }

    private void stop(DestinationOutput o, String reason) {
        DestinationSink s = o.detach();
        if (s != null) {
            env.stopLater(s, o, reason);
        }
    }

    // ---- sending (under the lock) ----

    /** Adds the silent track and hands the tags to every running sink. */
    private void send(List<FlvTag> video, long receiveNanos) {
        List<FlvTag> tags = audio.interleave(video);
        if (aacHeader == null) {
            for (FlvTag t : tags) {
                if (t.type() == FlvTagType.AUDIO && t.sequenceHeader()) {
                    aacHeader = t;
                }
            }
        }
        for (DestinationOutput o : outputs.values()) {
            o.send(tags, receiveNanos);
        }
        if (!viewers.isEmpty()) {
            for (DestinationSink v : List.copyOf(viewers)) {
                sendToViewer(v, tags, receiveNanos);
            }
        }
    }

    /** What a fresh sink gets first: metadata and the sequence headers the destinations have now. */
    private List<FlvTag> headers() {
        long ts = Math.max(0, timeline.lastVideoMs());
        List<FlvTag> out = new ArrayList<>(3);
        if (metadata != null) {
            out.add(metadata.withTimestamp(ts));
        }
        if (sentHeader != null) {
            out.add(sentHeader.withTimestamp(ts));
        }
        if (aacHeader != null) {
            out.add(aacHeader.withTimestamp(ts));
        }
        return out;
    }

    private HoldSlate loadSlate(Path file) {
        if (file == null) {
            return null;
        }
        try {
            return HoldSlate.load(file);
        } catch (IllegalArgumentException e) {
            log(() -> LOG.warn("stream {}: {}; holding with the last key frame instead", streamId, e.getMessage()));
            return null;
        }
    }

    private void log(Runnable line) {
        try (MDC.MDCCloseable m = MDC.putCloseable("streamId", streamId)) {
            line.run();
        }
    }

    private static boolean sameBody(FlvTag a, FlvTag b) {
        return a != null && b != null && Arrays.equals(a.bodyUnsafe(), b.bodyUnsafe());
    }

    @Override
    public String toString() {
        return "StreamOutputs[" + streamId + ", " + phase + (holdReason != null ? " (" + holdReason + ")" : "") + "]";
    }
}
