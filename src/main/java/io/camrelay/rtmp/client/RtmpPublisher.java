package io.camrelay.rtmp.client;

import io.camrelay.support.Secrets;
import io.camrelay.support.Backoff;
import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.rtmp.chunk.RtmpMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One destination's RTMP session (architecture.md §3): connects, publishes, sends metadata, the cached sequence
 * headers and media from a key frame with timestamps rebased to 0, keeps a send queue bounded in media time, and
 * republishes after a loss with exponential back-off and jitter. Every field is touched only on its one event loop;
 * {@link #offer} and {@link #stop} hop onto it, the counters are published through volatile fields.
 */
public final class RtmpPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(RtmpPublisher.class);
    /** How often stalls are checked. */
    static final long CHECK_INTERVAL_MILLIS = 250;
    static final String MDC_STREAM_ID = "streamId";
    /**
     * Reference A9: republish at a key frame after 7 days of timeline, long before 2^31 ms (24.8 days), as OBS
     * restarts at 0 on every reconnect and ingests accept it.
     */
    static final long REPUBLISH_AFTER_MILLIS = 7L * 24 * 3600 * 1000;

    private final PublisherSettings settings;
    private final RtmpUrl url;
    private final EventLoop loop;
    private final Executor resolver;
    private final SslContext sslContext;
    private final Backoff backoff;
    private final MediaQueue queue;
    private final FrameLatencyMeter latency;
    /** What the connection's session handler reports, on the event loop. */
    private final RtmpPublishHandler.Events events = new RtmpPublishHandler.Events() {
        @Override
        public void published(Channel channel, int messageStreamId) {
            RtmpPublisher.this.published(channel, messageStreamId);
        }

        @Override
        public void failed(Channel channel, RtmpPublishException cause) {
            RtmpPublisher.this.failed(channel, cause);
        }

        @Override
        public void writable(Channel channel) {
            RtmpPublisher.this.writable(channel);
        }
    };

    private Channel channel;
    private RtmpPublishHandler handler;
    private RtmpPublishException failure;
    private boolean publishing;
    private boolean mediaStarted;
    private int messageStreamId;
    private long timestampBase;
    private boolean stopped;
    private boolean inOutage;
    private boolean plannedRepublish;
    private long streamingSinceNanos;
    private long lastProgressNanos;
    private long lastStatusNanos;
    private FlvTag metadata;
    private FlvTag avcHeader;
    private FlvTag aacHeader;
    private ScheduledFuture<?> reconnectTask;
    private ScheduledFuture<?> setupTimeout;
    private ScheduledFuture<?> checkTask;
    private Promise<Void> stopPromise;

    private volatile RtmpPublisherState state = RtmpPublisherState.STARTING;
    private volatile Instant since = Instant.now();
    private volatile String lastError;
    private volatile long framesSent;
    private volatile long bytesSent;
    private volatile long reconnects;
    private volatile long framesDropped;
    private volatile long queuedMillis;
    private volatile long queuedBytes;

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
        this.settings = settings;
        this.latency = new FrameLatencyMeter(latencyListener, System::nanoTime);
        this.url = settings.url();
        this.loop = loop;
        this.resolver = resolver;
        this.sslContext = url.secure() ? RtmpChannels.sslContext(settings.allowUntrustedCertificates()) : null;
        this.backoff = new Backoff(settings.backoffInitialMillis(), settings.backoffMaxMillis());
        this.queue = new MediaQueue(settings.dropDisposableAfterMillis(), settings.dropToKeyFrameAfterMillis(),
                settings.maxQueuedBytes());
    }

    /** Starts connecting; failures are retried with back-off, never thrown. */
    public void start() {
        loop.execute(() -> {
            if (url.secure() && settings.allowUntrustedCertificates()) {
                try (MDC.MDCCloseable m = mdc()) {
                    LOG.warn("TLS certificate and host name checks are OFF for {} (allowUntrustedCertificates=true)",
                            url);
                }
            }
            lastProgressNanos = System.nanoTime();
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
            stopPromise = done;
            cancel(reconnectTask);
            cancel(setupTimeout);
            cancel(checkTask);
            setState(RtmpPublisherState.STOPPED, lastError);
            if (channel == null) {
                done.trySuccess(null);
                return;
            }
            Channel ch = channel;
            if (publishing && ch.isActive()) {
                handler.writeTeardown(ch);
                ch.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            } else {
                ch.close();
            }
            ch.closeFuture().addListener(f -> done.trySuccess(null));
        });
        return done;
    }

    /** The current state and counters. */
    public RtmpPublisherStats stats() {
        return new RtmpPublisherStats(url.masked(), state, since, lastError, framesSent, bytesSent, framesDropped,
                reconnects, queuedMillis, queuedBytes);
    }

    /** The destination with the key masked. */
    public RtmpUrl url() {
        return url;
    }

    // ---- connection lifecycle (event loop) ----

    private void connect() {
        if (stopped) {
            return;
        }
        failure = null;
        resolver.execute(() -> {
            try {
                InetAddress address = InetAddress.getByName(url.host());
                loop.execute(() -> connectTo(address));
            } catch (UnknownHostException e) {
                loop.execute(() -> connectFailed(new RtmpPublishException("cannot resolve host '" + url.host()
                        + "' of " + url + ": check the server name and DNS", false)));
            } catch (RuntimeException e) {
                loop.execute(() -> connectFailed(new RtmpPublishException("cannot resolve host '" + url.host()
                        + "' of " + url + ": " + e.getMessage(), false)));
            }
        });
    }

    private void connectTo(InetAddress address) {
        if (stopped) {
            return;
        }
        RtmpPublishHandler h = new RtmpPublishHandler(url, settings.chunkSize(), events);
        Bootstrap b = RtmpChannels.bootstrap(loop, settings, sslContext, h);
        ChannelFuture f = b.connect(new InetSocketAddress(address, url.port()));
        Channel ch = f.channel();
        channel = ch;
        handler = h;
        publishing = false;
        mediaStarted = false;
        setupTimeout = loop.schedule(() -> failed(ch, new RtmpPublishException("no NetStream.Publish.Start from "
                + url + " within " + (settings.connectTimeoutMillis() + settings.readTimeoutMillis()) + " ms (stuck at "
                + h.step() + "): the server neither accepted nor refused; check the URL and stream key "
                + Secrets.MASK, false)), settings.connectTimeoutMillis() + settings.readTimeoutMillis(),
                TimeUnit.MILLISECONDS);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                failed(ch, new RtmpPublishException("cannot connect to " + url.host() + ":" + url.port() + " ("
                        + done.cause().getMessage() + "): check the host and port, and that the server is running",
                        false));
            } else {
                LOG.debug("TCP connected to {}", url);
            }
        });
        ch.closeFuture().addListener(done -> closed(ch));
    }

    private void connectFailed(RtmpPublishException e) {
        if (stopped) {
            return;
        }
        failure = e;
        scheduleReconnect();
    }

    private void failed(Channel ch, RtmpPublishException cause) {
        if (ch != channel || failure != null) {
            return;
        }
        failure = cause;
        ch.close();
    }

    private void closed(Channel ch) {
        if (ch != channel) {
            return;
        }
        cancel(setupTimeout);
        boolean closedAfterPublish = handler != null && handler.awaitingPublishStart();
        channel = null;
        handler = null;
        boolean wasPublishing = publishing;
        publishing = false;
        mediaStarted = false;
        if (stopped) {
            if (stopPromise != null) {
                stopPromise.trySuccess(null);
            }
            return;
        }
        if (failure == null) {
            // Reference A3/A10: a close right after publish usually means a refused key: back off longer.
            failure = new RtmpPublishException("connection to " + url + " closed by the server"
                    + (wasPublishing ? " while publishing" : closedAfterPublish ? " right after publish; check the "
                    + "stream key " + Secrets.MASK : " during session setup"), closedAfterPublish);
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (streamingSinceNanos != 0
                && System.nanoTime() - streamingSinceNanos >= TimeUnit.MILLISECONDS.toNanos(settings.backoffResetAfterMillis())) {
            backoff.reset();
        }
        streamingSinceNanos = 0;
        boolean rejected = failure.rejected();
        boolean planned = plannedRepublish;
        plannedRepublish = false;
        long delay = planned ? 0 : backoff.nextDelayMillis(rejected ? settings.rejectionBackoffMillis() : 0);
        String message = failure.getMessage();
        try (MDC.MDCCloseable m = mdc()) {
            if (planned) {
                LOG.info("{}", message);
            } else if (!inOutage) {
                LOG.warn("{}; retrying in {} ms", message, delay);
            } else {
                LOG.debug("{}; retrying in {} ms", message, delay);
            }
        }
        inOutage = true;
        setState(rejected ? RtmpPublisherState.ERROR : RtmpPublisherState.RECONNECTING, message);
        reconnectTask = loop.schedule(() -> {
            reconnects++;
            connect();
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void published(Channel ch, int streamId) {
        if (ch != channel) {
            return;
        }
        cancel(setupTimeout);
        publishing = true;
        mediaStarted = false;
        messageStreamId = streamId;
        lastProgressNanos = System.nanoTime();
        try (MDC.MDCCloseable m = mdc()) {
            LOG.debug("publishing to {} on stream {}", url, streamId);
        }
        drain();
    }

    private void writable(Channel ch) {
        if (ch == channel && ch.isWritable()) {
            drain();
        }
    }

    // ---- media (event loop) ----

    private void accept(FlvTag tag) {
        boolean live = publishing && mediaStarted;
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
        framesDropped = queue.dropped();
    }

    private void drain() {
        Channel ch = channel;
        if (ch != null && publishing && ch.isActive()) {
            if (!mediaStarted) {
                long before = queue.dropped();
                long keyTimestamp = queue.startAtKeyFrame();
                if (queue.dropped() != before) {
                    LOG.debug("{}: dropped {} frame(s) ahead of the first key frame", url, queue.dropped() - before);
                }
                if (keyTimestamp < 0) {
                    updateQueueStats();
                    return;
                }
                startMedia(ch, keyTimestamp);
            }
            ChannelFuture last = null;
            FlvTag tag;
            while (ch.isWritable() && (tag = queue.peek()) != null) {
                if (timelineFull(tag)) {
                    republishAtKeyFrame(ch, tag);
                    break;
                }
                last = write(ch, queue.poll());
            }
            if (last != null) {
                last.addListener(f -> {
                    if (f.isSuccess()) {
                        lastProgressNanos = System.nanoTime();
                    }
                });
                ch.flush();
                latency.flushed();
            }
        }
        updateQueueStats();
    }

    /** Reference A0 step 5: metadata, AVC and AAC sequence headers, then media from the key frame at the head. */
    private void startMedia(Channel ch, long keyTimestamp) {
        timestampBase = keyTimestamp;
        mediaStarted = true;
        ch.write(message(metadata != null ? metadata
                : FlvMessages.minimalMetadata(avcHeader != null, aacHeader != null), 0), ch.voidPromise());
        if (avcHeader != null) {
            ch.write(message(avcHeader, 0), ch.voidPromise());
        }
        if (aacHeader != null) {
            ch.write(message(aacHeader, 0), ch.voidPromise());
        }
        streamingSinceNanos = System.nanoTime();
        lastProgressNanos = System.nanoTime();
        latency.publishStarted();
        try (MDC.MDCCloseable m = mdc()) {
            if (inOutage) {
                LOG.info("streaming to {} again after {} reconnect attempt(s)", url, reconnects);
            } else {
                LOG.info("streaming to {}", url);
            }
        }
        inOutage = false;
        setState(RtmpPublisherState.STREAMING, lastError);
    }

    private RtmpMessage message(FlvTag tag, long rebased) {
        return FlvMessages.message(tag, rebased + settings.timestampOffset(), messageStreamId);
    }

    /** Reference A9: keep timestamps well below 2^31 ms (OBS clears bit 31; servers differ past it). */
    private boolean timelineFull(FlvTag tag) {
        return tag.type() == FlvTagType.VIDEO && tag.keyFrame() && !tag.sequenceHeader()
                && tag.timestamp() - timestampBase + settings.timestampOffset() > REPUBLISH_AFTER_MILLIS;
    }

    /** A planned new publish starting at {@code key} (left queued), with timestamps from 0 again. */
    private void republishAtKeyFrame(Channel ch, FlvTag key) {
        if (failure != null) {
            return;
        }
        plannedRepublish = true;
        handler.writeTeardown(ch);
        ch.flush();
        failed(ch, new RtmpPublishException("timeline of " + url + " reached " + (key.timestamp() - timestampBase
                + settings.timestampOffset()) + " ms; republishing at this key frame so timestamps restart at 0 "
                + "before 2^31 ms", false));
    }

    private ChannelFuture write(Channel ch, FlvTag tag) {
        long ts = Math.max(0, tag.timestamp() - timestampBase);
        RtmpMessage m = message(tag, ts);
        if (tag.type() != FlvTagType.SCRIPT && !tag.sequenceHeader()) {
            framesSent++;
        }
        latency.written(tag);
        bytesSent += m.payload().length;
        return ch.write(m);
    }

    // ---- housekeeping (event loop) ----

    private void check() {
        Channel ch = channel;
        long now = System.nanoTime();
        if (ch != null && publishing && mediaStarted) {
            boolean pending = !queue.isEmpty() || !ch.isWritable();
            if (!pending) {
                lastProgressNanos = now;
            } else if (now - lastProgressNanos > TimeUnit.MILLISECONDS.toNanos(settings.readTimeoutMillis())) {
                failed(ch, new RtmpPublishException(url + " accepted no data for " + settings.readTimeoutMillis()
                        + " ms (" + queue.spanMillis() + " ms of media queued)", false));
            }
        }
        updateQueueStats();
        if (settings.listener() != null
                && now - lastStatusNanos >= TimeUnit.MILLISECONDS.toNanos(settings.statusIntervalMillis())) {
            notifyListener();
        }
    }

    private void updateQueueStats() {
        queuedMillis = queue.spanMillis();
        queuedBytes = queue.bytes();
        framesDropped = queue.dropped();
    }

    private void setState(RtmpPublisherState newState, String error) {
        lastError = error;
        if (newState != state) {
            state = newState;
            since = Instant.now();
        }
        notifyListener();
    }

    private void notifyListener() {
        lastStatusNanos = System.nanoTime();
        RtmpPublisherListener l = settings.listener();
        if (l != null) {
            try {
                l.onStatus(stats());
            } catch (RuntimeException e) {
                LOG.warn("status listener for {} failed: {}", url, e.toString());
            }
        }
    }

    private MDC.MDCCloseable mdc() {
        return settings.streamId() == null ? null : MDC.putCloseable(MDC_STREAM_ID, settings.streamId());
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
