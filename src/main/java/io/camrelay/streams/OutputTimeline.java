package io.camrelay.streams;

import java.util.concurrent.TimeUnit;

/**
 * The stream's one continuous timeline, which every destination gets (docs/design.md §7a), over the route's
 * timeline: the route's timestamps restart at 0 with a new route and are smoothed over camera gaps by its
 * {@code Timeline}, while the destinations' must go on strictly increasing across holds and route restarts. While
 * the camera flows a picture maps as route ms + offset; after a hold or a skipped picture ({@link #release()}) the
 * next camera picture is placed by the wall clock since the last one, so the hold's length lies in between: no jump
 * back, no jump beyond the outage. Hold pictures are placed on a grid from the last camera picture by
 * {@link #holdTimestamp}; a hold picture and the pictures next to it are at least a frame interval apart. Pure and
 * single-threaded: {@link StreamOutputs} calls it under its lock.
 */
final class OutputTimeline {

    /** A route timestamp this far from where the wall clock puts the picture is a new route's, not the same one's. */
    static final long MAX_DRIFT_MS = 1000;
    /** Frame interval assumed until measured (25 fps, the common camera rate). */
    static final double DEFAULT_INTERVAL_MS = 40.0;
    /** Weight of a new delta in the measured frame interval. */
    private static final double MEASURE_WEIGHT = 0.1;
    /** Deltas longer than this are gaps, not frame intervals (a camera at 0.2 fps still measures right). */
    private static final long MAX_MEASURED_INTERVAL_MS = 5000;

    private boolean started;
    /** False after {@link #release()}: the next camera picture is placed by the wall clock. */
    private boolean following;
    private long offset;
    private long lastRouteMs;
    private long lastVideoMs = -1;
    /** Whether the last picture handed out was a hold picture. */
    private boolean lastWasHold;
    private long lastCameraMs;
    private long lastCameraNanos;
    private double intervalMs = DEFAULT_INTERVAL_MS;

    /**
     * The timeline ms of a camera picture stamped {@code routeMs} by the route and received (or handed over) at
     * {@code nowNanos}: always after the last picture handed out, camera or hold.
     */
    long camera(long routeMs, long nowNanos) {
        long out;
        if (!started) {
            started = true;
            out = 0;
        } else {
            long byWallClock = lastCameraMs + Math.max(1, TimeUnit.NANOSECONDS.toMillis(nowNanos - lastCameraNanos));
            long byRoute = routeMs + offset;
            boolean sameRoute = routeMs > lastRouteMs && Math.abs(byRoute - byWallClock) <= MAX_DRIFT_MS;
            if (following && routeMs > lastRouteMs && byRoute - lastVideoMs <= limitMs()) {
                out = byRoute;
            } else if (!following && sameRoute) {
                out = byRoute; // a short bridge on the same route: keep the camera's own timing
            } else if (following) {
                out = lastVideoMs + Math.max(1, Math.round(intervalMs)); // the route restarted or jumped
            } else {
                out = byWallClock;
            }
            // after a hold picture a whole frame interval: players and muxers that time frames by the nominal rate
            // (ffmpeg at 25 fps) take two pictures closer than that as one instant
            out = Math.max(out, lastVideoMs + (lastWasHold ? Math.max(1, Math.round(intervalMs)) : 1));
            long delta = out - lastCameraMs;
            if (following && delta > 0 && delta < MAX_MEASURED_INTERVAL_MS) {
                intervalMs += MEASURE_WEIGHT * (delta - intervalMs);
            }
        }
        offset = out - routeMs;
        following = true;
        lastRouteMs = routeMs;
        lastVideoMs = out;
        lastWasHold = false;
        lastCameraMs = out;
        lastCameraNanos = nowNanos;
        return out;
    }

    /** The camera's pictures stop being followed (a hold or a skip began): the next one is placed anew. */
    void release() {
        following = false;
    }

    /** The timeline ms of a hold picture {@code offsetMs} after the last camera picture, after the last one out. */
    long holdTimestamp(long offsetMs) {
        long out = Math.max(lastCameraMs + offsetMs, lastVideoMs + Math.max(1, Math.round(intervalMs)));
        lastVideoMs = out;
        lastWasHold = true;
        return out;
    }

    /** When (nanos) a hold picture {@code offsetMs} after the last camera picture is due. */
    long dueNanos(long offsetMs) {
        return lastCameraNanos + TimeUnit.MILLISECONDS.toNanos(offsetMs);
    }

    /** Whether a camera picture was placed yet. */
    boolean started() {
        return started;
    }

    /** When the last camera picture was handed over (nanos). */
    long lastCameraNanos() {
        return lastCameraNanos;
    }

    /** The last timeline ms handed out (-1 before the first). */
    long lastVideoMs() {
        return lastVideoMs;
    }

    /** The camera's frame interval as measured on this timeline, ms. */
    double frameIntervalMs() {
        return intervalMs;
    }

    /** A forward step beyond this is a jump of the route's timeline (docs/protocols.md A9: max(1 s, 5 frames)). */
    private long limitMs() {
        return Math.max(MAX_DRIFT_MS, Math.round(5 * intervalMs));
    }
}
