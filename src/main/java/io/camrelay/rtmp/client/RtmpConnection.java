package io.camrelay.rtmp.client;

import io.camrelay.media.FlvTag;
import io.camrelay.rtmp.chunk.RtmpMessage;
import io.camrelay.support.Secrets;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One TCP (or TLS) connection to a destination and its one publish (docs/protocols.md A0, A3): resolves the host off the
 * event loop, connects, runs the handshake and publish sequence through {@link RtmpPublishHandler} within the set-up
 * timeout, then writes what its owner hands it: the start of media and media stamped on this publish's own timeline.
 * Reconnecting is its owner's job (as with gortmplib's client): it reports {@link Owner#published},
 * {@link Owner#writable} and, exactly once, {@link Owner#closed} with the reason, and is then spent; a new publish is a
 * new connection, so its state (published, media started, stream id, timestamp base) is never reset. It never looks
 * at a queue: what to write, and when, is the owner's choice. Lives on one event loop; every method is called there.
 */
final class RtmpConnection {

    /** What a connection tells its owner, on the event loop. */
    interface Owner {
        /** The server accepted the publish ({@code NetStream.Publish.Start}): media may start. */
        void published(RtmpConnection connection);

        /** The channel is writable again after back-pressure. */
        void writable(RtmpConnection connection);

        /** The connection is gone, whoever ended it; {@code cause} says why (key masked). Called once. */
        void closed(RtmpConnection connection, RtmpPublishException cause);
    }

    /** Opens the channel under a connection: Netty to the destination in production, channels of a test's choosing. */
    @FunctionalInterface
    interface Dialer {
        /** A channel to {@code address} whose pipeline ends in {@code session}; the future completes on connect. */
        ChannelFuture dial(InetSocketAddress address, RtmpPublishHandler session);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RtmpConnection.class);
    /**
     * How long {@link #close} waits for the teardown to get out before closing the channel anyway: a server that
     * stopped reading never lets it out. Well below {@code RtmpProducer}'s stop timeout (5 s).
     */
    static final long TEARDOWN_GRACE_MILLIS = 2000;

    private final PublisherSettings settings;
    private final RtmpUrl url;
    private final EventLoop loop;
    private final Executor resolver;
    private final Dialer dialer;
    private final Owner owner;
    private final RtmpPublishHandler handler;
    private final Promise<Void> closeFuture;

    /** Null until the host is resolved and the dial started. */
    private Channel channel;
    private ScheduledFuture<?> setupTimeout;
    /** Why the connection ends: the first reason wins; null while nothing went wrong. */
    private RtmpPublishException failure;
    private boolean published;
    private boolean mediaStarted;
    private boolean unpublished;
    private boolean closed;
    private int messageStreamId;
    /** The source timestamp that is 0 on this publish's timeline (its first key frame's). */
    private long timestampBase;
    /** The last media write since the last flush, or null. */
    private ChannelFuture lastWrite;

    /**
     * A connection on {@code loop}, resolving host names on {@code resolver} (DNS blocks; event loops must not) and
     * opening its channel through {@code dialer}; nothing happens before {@link #open()}.
     */
    RtmpConnection(PublisherSettings settings, EventLoop loop, Executor resolver, Dialer dialer, Owner owner) {
        this.settings = settings;
        this.url = settings.url();
        this.loop = loop;
        this.resolver = resolver;
        this.dialer = dialer;
        this.owner = owner;
        this.closeFuture = loop.newPromise();
        this.handler = new RtmpPublishHandler(url, settings.chunkSize(), new RtmpPublishHandler.Events() {
            @Override
            public void published(Channel ch, int streamId) {
                publishStarted(streamId);
            }

            @Override
            public void failed(Channel ch, RtmpPublishException cause) {
                fail(cause);
            }

            @Override
            public void writable(Channel ch) {
                if (!closed && ch.isWritable()) {
                    owner.writable(RtmpConnection.this);
                }
            }
        });
    }

    /** Resolves the host, then connects and publishes; the outcome is reported to the owner. */
    void open() {
        resolver.execute(() -> {
            try {
                InetAddress address = InetAddress.getByName(url.host());
                loop.execute(() -> connectTo(address));
            } catch (UnknownHostException e) {
                loop.execute(() -> fail(new RtmpPublishException("cannot resolve host '" + url.host() + "' of " + url
                        + ": check the server name and DNS", false)));
            } catch (RuntimeException e) {
                loop.execute(() -> fail(new RtmpPublishException("cannot resolve host '" + url.host() + "' of " + url
                        + ": " + e.getMessage(), false)));
            }
        });
    }

    /** True from the server's acceptance of the publish until the connection closes. */
    boolean publishing() {
        return published && !closed;
    }

    /** True once {@link #startMedia} has been written. */
    boolean mediaStarted() {
        return mediaStarted;
    }

    /** The channel is open and connected. */
    boolean isActive() {
        return channel != null && !closed && channel.isActive();
    }

    /** The channel takes more writes without passing its high water mark. */
    boolean isWritable() {
        return channel != null && !closed && channel.isWritable();
    }

    /** True when the owner ended the publish with {@link #unpublish}. */
    boolean unpublished() {
        return unpublished;
    }

    /** Completes when the connection is closed (at once when it never had a channel). */
    Future<Void> closeFuture() {
        return closeFuture;
    }

    /**
     * docs/protocols.md A0 step 5: the start of media at time 0 of this publish, whose zero is {@code keyTimestamp} (the first
     * key frame's): {@code metadata} (a minimal one naming the codecs when null), then the AVC and AAC sequence
     * headers that are not null. Written, not flushed.
     */
    void startMedia(FlvTag metadata, FlvTag avcHeader, FlvTag aacHeader, long keyTimestamp) {
        timestampBase = keyTimestamp;
        mediaStarted = true;
        Channel ch = channel;
        ch.write(message(metadata != null ? metadata
                : FlvMessages.minimalMetadata(avcHeader, aacHeader), 0), ch.voidPromise());
        if (avcHeader != null) {
            ch.write(message(avcHeader, 0), ch.voidPromise());
        }
        if (aacHeader != null) {
            ch.write(message(aacHeader, 0), ch.voidPromise());
        }
    }

    /** Where {@code tag} falls on this publish's timeline as sent (the timestamp offset included), ms. */
    long timelineMillis(FlvTag tag) {
        return tag.timestamp() - timestampBase + settings.timestampOffset();
    }

    /** Writes {@code tag} stamped on this publish's timeline (never before 0), not flushed; returns its size. */
    int write(FlvTag tag) {
        RtmpMessage m = message(tag, Math.max(0, tag.timestamp() - timestampBase));
        lastWrite = channel.write(m);
        return m.payloadLength();
    }

    /** Flushes what was written; {@code written} hears when the last {@link #write} since the previous flush is out. */
    void flush(ChannelFutureListener written) {
        if (lastWrite != null) {
            lastWrite.addListener(written);
            lastWrite = null;
        }
        channel.flush();
    }

    /** Ends the connection for {@code cause} (the first reason wins): closes the channel, or ends at once before one. */
    void fail(RtmpPublishException cause) {
        if (failure != null || closed) {
            return;
        }
        failure = cause;
        if (channel != null) {
            channel.close();
        } else {
            ended(cause);
        }
    }

    /**
     * A planned end of the publish for {@code cause}: the teardown (docs/protocols.md A3: FCUnpublish, deleteStream) is
     * flushed and the channel closed at once; {@link #unpublished()} then tells the owner it was its own doing.
     */
    void unpublish(RtmpPublishException cause) {
        if (failure != null || closed || channel == null) {
            return;
        }
        unpublished = true;
        handler.writeTeardown(channel);
        channel.flush();
        fail(cause);
    }

    /**
     * Closes for good for {@code cause}: when publishing, after the teardown (FCUnpublish, deleteStream) is written,
     * or after {@link #TEARDOWN_GRACE_MILLIS} when it cannot be; otherwise at once. Returns {@link #closeFuture()}.
     */
    Future<Void> close(RtmpPublishException cause) {
        if (failure != null || closed) {
            return closeFuture;
        }
        cancel(setupTimeout);
        Channel ch = channel;
        if (ch == null) {
            fail(cause);
        } else if (published && ch.isActive()) {
            failure = cause;
            handler.writeTeardown(ch);
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            // A server that stopped reading never takes the teardown: close anyway, or the socket is never released
            ScheduledFuture<?> force = loop.schedule(() -> {
                if (ch.isOpen()) {
                    try (MDC.MDCCloseable m = RtmpPublisher.mdc(settings)) {
                        LOG.debug("teardown to {} not flushed within {} ms; closing anyway", url,
                                TEARDOWN_GRACE_MILLIS);
                    }
                    ch.close();
                }
            }, TEARDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            ch.closeFuture().addListener(done -> force.cancel(false));
        } else {
            fail(cause);
        }
        return closeFuture;
    }

    private void connectTo(InetAddress address) {
        if (failure != null || closed) {
            return; // closed by the owner while resolving
        }
        ChannelFuture f = dialer.dial(new InetSocketAddress(address, url.port()), handler);
        Channel ch = f.channel();
        channel = ch;
        long setupMillis = settings.connectTimeoutMillis() + settings.readTimeoutMillis();
        setupTimeout = loop.schedule(() -> fail(new RtmpPublishException("no NetStream.Publish.Start from " + url
                + " within " + setupMillis + " ms (stuck at " + handler.step() + "): the server neither accepted nor "
                + "refused; check the URL and stream key " + Secrets.MASK, false)), setupMillis, TimeUnit.MILLISECONDS);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                fail(new RtmpPublishException("cannot connect to " + url.host() + ":" + url.port() + " ("
                        + done.cause().getMessage() + "): check the host and port, and that the server is running",
                        false));
            } else {
                LOG.debug("TCP connected to {}", url);
            }
        });
        ch.closeFuture().addListener(done -> channelClosed());
    }

    private void publishStarted(int streamId) {
        if (closed) {
            return;
        }
        cancel(setupTimeout);
        published = true;
        messageStreamId = streamId;
        try (MDC.MDCCloseable m = RtmpPublisher.mdc(settings)) {
            LOG.debug("publishing to {} on stream {}", url, streamId);
        }
        owner.published(this);
    }

    private void channelClosed() {
        if (closed) {
            return;
        }
        cancel(setupTimeout);
        RtmpPublishException cause = failure;
        if (cause == null) {
            // docs/protocols.md A3/A10: a close right after publish usually means a refused key: back off longer.
            boolean closedAfterPublish = handler.awaitingPublishStart();
            cause = new RtmpPublishException("connection to " + url + " closed by the server"
                    + (published ? " while publishing" : closedAfterPublish ? " right after publish; check the "
                    + "stream key " + Secrets.MASK : " during session setup"), closedAfterPublish);
        }
        ended(cause);
    }

    private void ended(RtmpPublishException cause) {
        closed = true;
        owner.closed(this, cause);
        closeFuture.trySuccess(null);
    }

    private RtmpMessage message(FlvTag tag, long rebased) {
        return FlvMessages.message(tag, rebased + settings.timestampOffset(), messageStreamId);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
