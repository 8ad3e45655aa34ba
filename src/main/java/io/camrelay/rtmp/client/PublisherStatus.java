package io.camrelay.rtmp.client;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one destination shows of itself (docs/design.md §6): its state and since when, the last error, the counters.
 * Written on the publisher's event loop, read from any thread through volatile fields; the listener (if any) hears
 * every state change and, between them, a snapshot every status interval.
 */
final class PublisherStatus {

    private static final Logger LOG = LoggerFactory.getLogger(PublisherStatus.class);

    private final RtmpUrl url;
    private final RtmpPublisherListener listener;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    /** Event loop only. */
    private long lastStatusNanos;

    private volatile RtmpPublisherState state = RtmpPublisherState.STARTING;
    private volatile Instant since = Instant.now();
    private volatile String lastError;
    private volatile long framesSent;
    private volatile long bytesSent;
    private volatile long reconnects;
    private volatile long publishes;
    private volatile long framesDropped;
    private volatile long queuedMillis;
    private volatile long queuedBytes;

    PublisherStatus(PublisherSettings settings, LongSupplier nanoClock) {
        this.url = settings.url();
        this.listener = settings.listener();
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(settings.statusIntervalMillis());
        this.nanoClock = nanoClock;
    }

    /** Enters {@code newState} with {@code error} as the last error, and tells the listener. */
    void enter(RtmpPublisherState newState, String error) {
        lastError = error;
        if (newState != state) {
            state = newState;
            since = Instant.now();
        }
        notifyListener();
    }

    /** Tells the listener when a status interval has passed since it last heard. */
    void tick(long now) {
        if (listener != null && now - lastStatusNanos >= intervalNanos) {
            notifyListener();
        }
    }

    String lastError() {
        return lastError;
    }

    long reconnects() {
        return reconnects;
    }

    void reconnecting() {
        reconnects++;
    }

    /** The server accepted a publish. */
    void published() {
        publishes++;
    }

    /** A message of {@code bytes} was written; {@code frame} when it is audio or video (not metadata or a header). */
    void sent(int bytes, boolean frame) {
        if (frame) {
            framesSent++;
        }
        bytesSent += bytes;
    }

    void dropped(long total) {
        framesDropped = total;
    }

    /** What the send queue holds and has dropped now. */
    void queue(MediaQueue queue) {
        queuedMillis = queue.spanMillis();
        queuedBytes = queue.bytes();
        framesDropped = queue.dropped();
    }

    RtmpPublisherStats snapshot() {
        return new RtmpPublisherStats(url.masked(), state, since, lastError, framesSent, bytesSent, framesDropped,
                reconnects, queuedMillis, queuedBytes, publishes);
    }

    private void notifyListener() {
        lastStatusNanos = nanoClock.getAsLong();
        if (listener != null) {
            try {
                listener.onStatus(snapshot());
            } catch (RuntimeException e) {
                LOG.warn("status listener for {} failed: {}", url, e.toString());
            }
        }
    }
}
