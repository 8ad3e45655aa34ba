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
 * connection gets what is decided here. Rotation (docs/design.md §7a, {@code rotateInterval}) runs a second
 * connection beside the first: once the server accepted it, media switches to it at a key frame and the old one
 * closes (make-before-break); a server that refuses a second publish on the key gets close-then-publish at a key
 * frame from then on. Every field is touched only on its one event loop; {@link #offer}, {@link #rotateEvery} and
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
    /**
     * A publish refused right after a planned close-then-publish is retried this soon: the server may not have
     * noticed the old publish's end yet (nginx-rtmp answers BadName "Already publishing" until then).
     */
    static final long PLANNED_RETRY_DELAY_MILLIS = 250;
    /** ... for this long after the planned close. */
    static final long PLANNED_RETRY_WINDOW_MILLIS = 5_000;

    private final PublisherSettings settings;
    private final RtmpUrl url;
    private final EventLoop loop;
    private final InOrderHandOff offers;
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
            if (c == connection || c == standby) {
                status.published();
            }
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
            if (c == standby) {
                standbyLost(c, cause);
            } else if (c == connection) {
                connection = null;
                closeStandby(); // its rotation belonged to the lost publish; the next one starts a timeline anew
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
    /** A rotation's new publish, connected beside {@link #connection} until media switches to it; or null. */
    private RtmpConnection standby;
    /** Republish at a key frame this often (ms), 0: never. */
    private long rotateAfterMillis;
    /** The server refused a second publish on the key: rotate by close-then-publish. */
    private boolean onePublishOnly;
    /**
     * When the last planned close-then-publish (a rotation, the 7-day republish) began (nanos), 0 when none is under
     * way: its gap is logged, and a refusal right after it is retried soon.
     */
    private long plannedCloseNanos;
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
        this.offers = new InOrderHandOff(loop);
        this.resolver = resolver;
        this.dialer = dialer;
        this.nanoClock = nanoClock;
        this.backoff = backoff;
        this.latency = new FrameLatencyMeter(latencyListener, nanoClock);
        this.status = new PublisherStatus(settings, nanoClock);
        this.queue = new MediaQueue(settings.dropDisposableAfterMillis(), settings.dropToKeyFrameAfterMillis(),
                settings.maxQueuedBytes());
        this.rotateAfterMillis = settings.rotateIntervalMillis();
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
     * to the socket is reported to the latency listener; returns at once. Called on the publisher's own event loop (a
     * stream whose ImageServer session shares it), it writes what the connection takes at once.
     */
    public void offer(List<FlvTag> tags, long receiveNanos) {
        // the stream's route runs on this loop: written at once, unless the hold timer's tags wait there
        offers.run(() -> take(tags, receiveNanos));
    }

    private void take(List<FlvTag> tags, long receiveNanos) {
        if (stopped) {
            return;
        }
        for (FlvTag tag : tags) {
            latency.received(tag, receiveNanos);
            accept(tag);
        }
        drain();
    }

    /**
     * Republish at a key frame every {@code millis} of this publish's timeline from now on (0: never); takes effect
     * at the next key frame.
     */
    public void rotateEvery(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("rotation period must not be negative: " + millis);
        }
        loop.execute(() -> rotateAfterMillis = millis);
    }

    /** Unpublishes (FCUnpublish, deleteStream), closes, and stops reconnecting; completes when closed. */
    public Future<Void> stop() {
        Promise<Void> done = loop.newPromise();
        loop.execute(() -> {
            stopped = true;
            cancel(reconnectTask);
            cancel(checkTask);
            closeStandby();
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
        boolean afterPlanned = plannedCloseNanos != 0 && nanoClock.getAsLong() - plannedCloseNanos
                < TimeUnit.MILLISECONDS.toNanos(PLANNED_RETRY_WINDOW_MILLIS);
        long delay = planned ? 0 : afterPlanned ? PLANNED_RETRY_DELAY_MILLIS
                : backoff.nextDelayMillis(rejected ? settings.rejectionBackoffMillis() : 0);
        if (!planned && !afterPlanned) {
            plannedCloseNanos = 0;
        }
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
                if (rotationDue(c, tag)) {
                    RtmpConnection next = rotate(c, tag);
                    if (next == null) {
                        break; // closing for a close-then-publish
                    }
                    if (wrote) {
                        c.flush(progress);
                    }
                    c = next;
                    wrote = false;
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
            if (plannedCloseNanos != 0) {
                LOG.info("republished to {} as planned (close, then publish at a key frame): {} ms without video at"
                        + " the server", url, TimeUnit.NANOSECONDS.toMillis(now - plannedCloseNanos));
                plannedCloseNanos = 0;
            } else if (inOutage) {
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
        plannedCloseNanos = nanoClock.getAsLong();
        c.unpublish(new RtmpPublishException("timeline of " + url + " reached " + c.timelineMillis(key)
                + " ms; republishing at this key frame so timestamps restart at 0 before 2^31 ms", false));
    }

    // ---- rotation (event loop) ----

    /** A rotation is due at {@code tag}: a key frame past {@link #rotateAfterMillis} of this publish's timeline. */
    private boolean rotationDue(RtmpConnection c, FlvTag tag) {
        return rotateAfterMillis > 0 && tag.type() == FlvTagType.VIDEO && tag.keyFrame() && !tag.sequenceHeader()
                && c.timelineMillis(tag) - settings.timestampOffset() >= rotateAfterMillis;
    }

    /**
     * Rotates at key frame {@code key} (left queued): switches to the standby when the server accepted it, opens one
     * when there is none yet (media goes on on {@code c} meanwhile), or closes {@code c} for a close-then-publish.
     *
     * @return the connection to write {@code key} to, or null when {@code c} is closing
     */
    private RtmpConnection rotate(RtmpConnection c, FlvTag key) {
        if (onePublishOnly) {
            plannedCloseNanos = nanoClock.getAsLong();
            c.unpublish(new RtmpPublishException("rotating the publish to " + url + " after "
                    + (c.timelineMillis(key) - settings.timestampOffset()) + " ms (rotateInterval): close, then"
                    + " publish again at this key frame", false));
            return null;
        }
        RtmpConnection s = standby;
        if (s == null) {
            standby = new RtmpConnection(settings, loop, resolver, dialer, owner);
            standby.open();
            return c;
        }
        if (!s.publishing() || !s.isActive()) {
            return c; // not accepted yet: the current publish goes on
        }
        standby = null;
        connection = s;
        s.startMedia(metadata, avcHeader, aacHeader, key.timestamp());
        lastProgressNanos = nanoClock.getAsLong();
        streamingSinceNanos = lastProgressNanos;
        c.close(new RtmpPublishException("rotated the publish to " + url + "; closing the old one", false));
        try (MDC.MDCCloseable m = mdc(settings)) {
            LOG.info("rotated the publish to {} at a key frame: the new publish was ready before the old one closed",
                    url);
        }
        return s;
    }

    private void closeStandby() {
        RtmpConnection s = standby;
        standby = null;
        if (s != null) {
            s.close(new RtmpPublishException("the rotation's new publish to " + url + " is not needed", false));
        }
    }

    /** The standby closed before media switched to it: a refusal means one publish per key, so close-then-publish. */
    private void standbyLost(RtmpConnection s, RtmpPublishException cause) {
        standby = null;
        if (stopped) {
            return;
        }
        onePublishOnly = true;
        try (MDC.MDCCloseable m = mdc(settings)) {
            LOG.info("{} took no second publish on the key for a rotation ({}): rotating by close-then-publish at a"
                    + " key frame", url, cause.getMessage());
        }
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
