package io.camrelay.rtmp.client;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.support.Backoff;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One destination's RTMP session (docs/design.md §3), the supervisor of its {@link RtmpConnection}s: opens one,
 * feeds it metadata, the cached sequence headers and media from a key frame, keeps a send queue bounded in media time,
 * and after a loss opens a new one with exponential back-off and jitter. The connection does one publish; which
 * connection gets what is decided here. Every field is touched only on its one event loop; {@link #offer} and
 * {@link #stop} hop onto it, the counters are published through volatile fields.
 */
public final class RtmpPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(RtmpPublisher.class);
    /** How often stalls are checked. */
    static final long CHECK_INTERVAL_MILLIS = 250;
    static final String MDC_STREAM_ID = "streamId";
    /**
     * docs/protocols.md A9: republish at a key frame after 7 days of timeline, long before 2^31 ms (24.8 days), as OBS
     * restarts at 0 on every reconnect and ingests accept it.
     */
    static final long REPUBLISH_AFTER_MILLIS = 7L * 24 * 3600 * 1000;

    private final PublisherSettings settings;
    private final RtmpUrl url;
    private final EventLoop loop;
    private final Executor resolver;
    private final RtmpConnection.Dialer dialer;
    private final LongSupplier nanoClock;
    private final Backoff backoff;
    private final MediaQueue queue;
    private final FrameLatencyMeter latency;
    private final PublisherStatus status;
    /** What the connections report, on the event loop; only the current one is listened to. */
    private final RtmpConnection.Owner owner = new RtmpConnection.Owner() {
        @Override
        public void published(RtmpConnection c) {
            if (c == connection) {
                lastProgressNanos = nanoClock.getAsLong();
                drain();
            }
        }

        @Override
        public void writable(RtmpConnection c) {
            if (c == connection) {
                drain();
            }
        }

        @Override
        public void closed(RtmpConnection c, RtmpPublishException cause) {
            if (c == connection) {
                connection = null;
                if (!stopped) {
                    reconnectAfter(c, cause);
                }
            }
        }
    };
    /** Told when the last write of a drain pass is out: the server is taking data. */
    private final ChannelFutureListener progress = this::written;

    /** The connection publishing or trying to, or null while a reconnect waits. */
    private RtmpConnection connection;
    private boolean stopped;
    private boolean inOutage;
    private long streamingSinceNanos;
    private long lastProgressNanos;
    private FlvTag metadata;
    private FlvTag avcHeader;
    private FlvTag aacHeader;
    private ScheduledFuture<?> reconnectTask;
    private ScheduledFuture<?> checkTask;

    /**
     * A publisher on {@code loop}, resolving host names on {@code resolver} (DNS blocks; event loops must not).
     */
    public RtmpPublisher(PublisherSettings settings, EventLoop loop, Executor resolver) {
        this(settings, loop, resolver, null);
    }

    /**
     * A publisher that also tells {@code latencyListener} (or nobody, when null) each video frame's time from receive
     * to socket write, for frames offered with a receive time.
     */
    public RtmpPublisher(PublisherSettings settings, EventLoop loop, Executor resolver,
            FrameLatencyListener latencyListener) {
        this(settings, loop, resolver, RtmpChannels.dialer(loop, settings), latencyListener, System::nanoTime,
                new Backoff(settings.backoffInitialMillis(), settings.backoffMaxMillis()));
    }

    /**
     * The test seam: connections dial through {@code dialer}, time is {@code nanoClock} (receive times too), delays
     * come from {@code backoff}.
     */
    RtmpPublisher(PublisherSettings settings, EventLoop loop, Executor resolver, RtmpConnection.Dialer dialer,
            FrameLatencyListener latencyListener, LongSupplier nanoClock, Backoff backoff) {
        this.settings = settings;
        this.url = settings.url();
        this.loop = loop;
        this.resolver = resolver;
        this.dialer = dialer;
        this.nanoClock = nanoClock;
        this.backoff = backoff;
        this.latency = new FrameLatencyMeter(latencyListener, nanoClock);
        this.status = new PublisherStatus(settings, nanoClock);
        this.queue = new MediaQueue(settings.dropDisposableAfterMillis(), settings.dropToKeyFrameAfterMillis(),
                settings.maxQueuedBytes());
    }

    /** Starts connecting; failures are retried with back-off, never thrown. */
    public void start() {
        loop.execute(() -> {
            if (url.secure() && settings.allowUntrustedCertificates()) {
                try (MDC.MDCCloseable m = mdc(settings)) {
                    LOG.warn("TLS certificate and host name checks are OFF for {} (allowUntrustedCertificates=true)",
                            url);
                }
            }
            lastProgressNanos = nanoClock.getAsLong();
            checkTask = loop.scheduleAtFixedRate(this::check, CHECK_INTERVAL_MILLIS, CHECK_INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
            connect();
        });
    }

    /** Queues tags for sending; returns at once (the caller is a route thread, never blocked). */
    public void offer(List<FlvTag> tags) {
        offer(tags, ReceiveTimes.NONE);
    }

    /**
     * Queues tags whose video frame was received at {@code receiveNanos} ({@link System#nanoTime()}), so that its time
     * to the socket is reported to the latency listener; returns at once.
     */
    public void offer(List<FlvTag> tags, long receiveNanos) {
        loop.execute(() -> {
            if (stopped) {
                return;
            }
            for (FlvTag tag : tags) {
                latency.received(tag, receiveNanos);
                accept(tag);
            }
            drain();
        });
    }

    /** Unpublishes (FCUnpublish, deleteStream), closes, and stops reconnecting; completes when closed. */
    public Future<Void> stop() {
        Promise<Void> done = loop.newPromise();
        loop.execute(() -> {
            stopped = true;
            cancel(reconnectTask);
            cancel(checkTask);
            status.enter(RtmpPublisherState.STOPPED, status.lastError());
            RtmpConnection c = connection;
            if (c == null) {
                done.trySuccess(null);
                return;
            }
            c.close(new RtmpPublishException("publishing to " + url + " stopped", false))
                    .addListener(f -> done.trySuccess(null));
        });
        return done;
    }

    /** The current state and counters. */
    public RtmpPublisherStats stats() {
        return status.snapshot();
    }

    /** The destination with the key masked. */
    public RtmpUrl url() {
        return url;
    }

    // ---- connections (event loop) ----

    private void connect() {
        if (stopped) {
            return;
        }
        RtmpConnection c = new RtmpConnection(settings, loop, resolver, dialer, owner);
        connection = c;
        c.open();
    }

    private void reconnectAfter(RtmpConnection lost, RtmpPublishException cause) {
        if (streamingSinceNanos != 0 && nanoClock.getAsLong() - streamingSinceNanos
                >= TimeUnit.MILLISECONDS.toNanos(settings.backoffResetAfterMillis())) {
            backoff.reset();
        }
        streamingSinceNanos = 0;
        boolean rejected = cause.rejected();
        boolean planned = lost.unpublished();
        long delay = planned ? 0 : backoff.nextDelayMillis(rejected ? settings.rejectionBackoffMillis() : 0);
        String message = cause.getMessage();
        try (MDC.MDCCloseable m = mdc(settings)) {
            if (planned) {
                LOG.info("{}", message);
            } else if (!inOutage) {
                LOG.warn("{}; retrying in {} ms", message, delay);
            } else {
                LOG.debug("{}; retrying in {} ms", message, delay);
            }
        }
        inOutage = true;
        status.enter(rejected ? RtmpPublisherState.ERROR : RtmpPublisherState.RECONNECTING, message);
        reconnectTask = loop.schedule(() -> {
            status.reconnecting();
            connect();
        }, delay, TimeUnit.MILLISECONDS);
    }

    // ---- media (event loop) ----

    private void accept(FlvTag tag) {
        RtmpConnection c = connection;
        boolean publishing = c != null && c.publishing();
        boolean live = publishing && c.mediaStarted();
        if (tag.type() == FlvTagType.SCRIPT) {
            metadata = tag;
            if (live) {
                queue.offer(tag, true);
            }
        } else if (tag.sequenceHeader()) {
            if (tag.type() == FlvTagType.VIDEO) {
                avcHeader = tag;
            } else {
                aacHeader = tag;
            }
            if (live) {
                queue.offer(tag, true);
            }
        } else {
            long before = queue.dropped();
            queue.offer(tag, publishing);
            if (queue.dropped() != before && LOG.isDebugEnabled()) {
                LOG.debug("{} dropped {} frame(s) on {} ({} ms queued)", url, queue.dropped() - before, tag,
                        queue.spanMillis());
            }
        }
        status.dropped(queue.dropped());
    }

    private void drain() {
        RtmpConnection c = connection;
        if (c != null && c.publishing() && c.isActive()) {
            if (!c.mediaStarted()) {
                long before = queue.dropped();
                long keyTimestamp = queue.startAtKeyFrame();
                if (queue.dropped() != before) {
                    LOG.debug("{}: dropped {} frame(s) ahead of the first key frame", url, queue.dropped() - before);
                }
                if (keyTimestamp < 0) {
                    status.queue(queue);
                    return;
                }
                startMedia(c, keyTimestamp);
            }
            boolean wrote = false;
            FlvTag tag;
            while (c.isWritable() && (tag = queue.peek()) != null) {
                if (timelineFull(c, tag)) {
                    republishAtKeyFrame(c, tag);
                    break;
                }
                write(c, queue.poll());
                wrote = true;
            }
            if (wrote) {
                c.flush(progress);
                latency.flushed();
            }
        }
        status.queue(queue);
    }

    /** docs/protocols.md A0 step 5: metadata, AVC and AAC sequence headers, then media from the key frame at the head. */
    private void startMedia(RtmpConnection c, long keyTimestamp) {
        c.startMedia(metadata, avcHeader, aacHeader, keyTimestamp);
        long now = nanoClock.getAsLong();
        streamingSinceNanos = now;
        lastProgressNanos = now;
        latency.publishStarted();
        try (MDC.MDCCloseable m = mdc(settings)) {
            if (inOutage) {
                LOG.info("streaming to {} again after {} reconnect attempt(s)", url, status.reconnects());
            } else {
                LOG.info("streaming to {}", url);
            }
        }
        inOutage = false;
        status.enter(RtmpPublisherState.STREAMING, status.lastError());
    }

    /** docs/protocols.md A9: keep timestamps well below 2^31 ms (OBS clears bit 31; servers differ past it). */
    private static boolean timelineFull(RtmpConnection c, FlvTag tag) {
        return tag.type() == FlvTagType.VIDEO && tag.keyFrame() && !tag.sequenceHeader()
                && c.timelineMillis(tag) > REPUBLISH_AFTER_MILLIS;
    }

    /** A planned new publish starting at {@code key} (left queued), with timestamps from 0 again. */
    private void republishAtKeyFrame(RtmpConnection c, FlvTag key) {
        c.unpublish(new RtmpPublishException("timeline of " + url + " reached " + c.timelineMillis(key)
                + " ms; republishing at this key frame so timestamps restart at 0 before 2^31 ms", false));
    }

    private void write(RtmpConnection c, FlvTag tag) {
        latency.written(tag);
        status.sent(c.write(tag), tag.type() != FlvTagType.SCRIPT && !tag.sequenceHeader());
    }

    private void written(Future<?> lastWrite) {
        if (lastWrite.isSuccess()) {
            lastProgressNanos = nanoClock.getAsLong();
        }
    }

    // ---- housekeeping (event loop) ----

    private void check() {
        RtmpConnection c = connection;
        long now = nanoClock.getAsLong();
        if (c != null && c.publishing() && c.mediaStarted()) {
            boolean pending = !queue.isEmpty() || !c.isWritable();
            if (!pending) {
                lastProgressNanos = now;
            } else if (now - lastProgressNanos > TimeUnit.MILLISECONDS.toNanos(settings.readTimeoutMillis())) {
                c.fail(new RtmpPublishException(url + " accepted no data for " + settings.readTimeoutMillis()
                        + " ms (" + queue.spanMillis() + " ms of media queued)", false));
            }
        }
        status.queue(queue);
        status.tick(now);
    }

    /** The stream id in the MDC for a log line about this destination (nothing when it has none). */
    static MDC.MDCCloseable mdc(PublisherSettings settings) {
        return settings.streamId() == null ? null : MDC.putCloseable(MDC_STREAM_ID, settings.streamId());
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
