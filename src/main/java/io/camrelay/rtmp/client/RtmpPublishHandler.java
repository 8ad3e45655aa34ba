package io.camrelay.rtmp.client;

import io.camrelay.support.Causes;
import io.camrelay.support.Secrets;
import io.camrelay.rtmp.handshake.RtmpHandshakeCompleted;
import io.camrelay.rtmp.message.RtmpChunkStreams;
import io.camrelay.rtmp.message.RtmpCommand;
import io.camrelay.rtmp.message.RtmpControlMessages;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish command sequence of one connection (docs/protocols.md A0, A3): Set Chunk Size, connect → {@code _result};
 * releaseStream, FCPublish, createStream without waiting for the first two; publish(key, "live") on the new
 * stream → {@code NetStream.Publish.Start}. Replies are matched by transaction id. A refusal ({@code _error} to
 * connect, createStream or publish; {@code onStatus} with level error) becomes an {@link RtmpPublishException}
 * naming the server's code and description, with the key masked.
 */
final class RtmpPublishHandler extends ChannelInboundHandlerAdapter {

    /** What the connection reports to its publisher (on the channel's event loop). */
    interface Events {
        void published(Channel channel, int messageStreamId);

        void failed(Channel channel, RtmpPublishException cause);

        void writable(Channel channel);
    }

    /** docs/protocols.md A3: flashVer as FMLE-compatible encoders send it. */
    static final String FLASH_VERSION = "FMLE/3.0 (compatible; CamRelay)";
    /** docs/protocols.md A3: connect's type for publishing. */
    static final String CONNECT_TYPE = "nonprivate";
    /** Transaction ids of the sequence, one per command (docs/protocols.md A3 table). */
    static final int TXN_CONNECT = 1;
    static final int TXN_RELEASE_STREAM = 2;
    static final int TXN_FC_PUBLISH = 3;
    static final int TXN_CREATE_STREAM = 4;
    static final int TXN_PUBLISH = 5;
    static final int TXN_FC_UNPUBLISH = 6;
    static final int TXN_DELETE_STREAM = 7;
    static final String PUBLISH_START = "NetStream.Publish.Start";
    static final String LEVEL_ERROR = "error";

    private enum Step { HANDSHAKE, CONNECT, CREATE_STREAM, PUBLISH, PUBLISHING }

    private static final Logger LOG = LoggerFactory.getLogger(RtmpPublishHandler.class);

    private final RtmpUrl url;
    private final int chunkSize;
    private final Events events;
    private Step step = Step.HANDSHAKE;
    private int streamId;

    RtmpPublishHandler(RtmpUrl url, int chunkSize, Events events) {
        this.url = url;
        this.chunkSize = chunkSize;
        this.events = events;
    }

    /** Where the sequence stands, for error messages. */
    String step() {
        return step.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** True between sending publish and its NetStream.Publish.Start. */
    boolean awaitingPublishStart() {
        return step == Step.PUBLISH;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == RtmpHandshakeCompleted.INSTANCE) {
            LOG.debug("handshake with {} done; connecting to app '{}'", url, url.app());
            step = Step.CONNECT;
            ctx.write(RtmpControlMessages.setChunkSize(chunkSize));
            Map<String, Object> connect = new LinkedHashMap<>();
            connect.put("app", url.app());
            connect.put("type", CONNECT_TYPE);
            connect.put("flashVer", FLASH_VERSION);
            connect.put("tcUrl", url.tcUrl());
            ctx.writeAndFlush(RtmpCommand.of("connect", TXN_CONNECT, connect)
                    .toMessage(RtmpChunkStreams.COMMAND, 0));
        } else if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            fail(ctx, tlsFailure(e.cause()));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RtmpCommand c) {
            onCommand(ctx, c);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        events.writable(ctx.channel());
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        SSLException tls = Causes.find(cause, SSLException.class);
        Throwable root = Causes.deepest(cause);
        if (tls != null) {
            fail(ctx, tlsFailure(tls));
        } else {
            fail(ctx, new RtmpPublishException("RTMP session with " + url + " failed during " + step() + ": "
                    + url.scrub(String.valueOf(root.getMessage())), false, null));
        }
    }

    private RtmpPublishException tlsFailure(Throwable cause) {
        return new RtmpPublishException("TLS handshake with " + url.host() + ":" + url.port() + " failed ("
                + url.scrub(String.valueOf(cause.getMessage())) + "): the server's certificate is not trusted or "
                + "does not match the host name; use the server's real name, install a trusted certificate, or set "
                + "allowUntrustedCertificates=true for this destination if it uses a self-signed one", true, null);
    }

    private void onCommand(ChannelHandlerContext ctx, RtmpCommand c) {
        int txn = (int) c.transactionId();
        switch (c.name()) {
            case "_result" -> onResult(ctx, c, txn);
            case "_error" -> onError(ctx, c, txn);
            case "onStatus" -> onStatus(ctx, c);
            default -> LOG.debug("ignoring {} from {}", c, url);
        }
    }

    private void onResult(ChannelHandlerContext ctx, RtmpCommand c, int txn) {
        if (txn == TXN_CONNECT && step == Step.CONNECT) {
            LOG.debug("connected to {}; creating the stream", url);
            step = Step.CREATE_STREAM;
            ctx.write(RtmpCommand.of("releaseStream", TXN_RELEASE_STREAM, null, url.streamKey())
                    .toMessage(RtmpChunkStreams.COMMAND, 0));
            ctx.write(RtmpCommand.of("FCPublish", TXN_FC_PUBLISH, null, url.streamKey())
                    .toMessage(RtmpChunkStreams.COMMAND, 0));
            ctx.writeAndFlush(RtmpCommand.of("createStream", TXN_CREATE_STREAM, null)
                    .toMessage(RtmpChunkStreams.COMMAND, 0));
        } else if (txn == TXN_CREATE_STREAM && step == Step.CREATE_STREAM) {
            Object id = c.arguments().isEmpty() ? null : c.arguments().get(0);
            if (!(id instanceof Double d) || d < 0 || d > Integer.MAX_VALUE) {
                fail(ctx, new RtmpPublishException("server " + url + " answered createStream without a stream id (got "
                        + id + ")", false, null));
                return;
            }
            streamId = d.intValue();
            step = Step.PUBLISH;
            LOG.debug("stream {} created on {}; publishing", streamId, url);
            ctx.writeAndFlush(RtmpCommand.of("publish", TXN_PUBLISH, null, url.streamKey(), "live")
                    .toMessage(RtmpChunkStreams.PUBLISH, streamId));
        } else {
            LOG.debug("ignoring _result for transaction {} from {}", txn, url);
        }
    }

    private void onError(ChannelHandlerContext ctx, RtmpCommand c, int txn) {
        switch (txn) {
            case TXN_CONNECT -> fail(ctx, refused("connect", c,
                    "check the application '" + url.app() + "' in the URL and the server's access rules"));
            case TXN_CREATE_STREAM -> fail(ctx, refused("createStream", c, "check the server's log"));
            case TXN_PUBLISH -> fail(ctx, refused("publish", c, hint(c.info("code"))));
            // FFmpeg ignores refusals of releaseStream/FCPublish; nginx-rtmp does not even answer them (docs/protocols.md A3)
            default -> LOG.debug("ignoring _error for transaction {} from {}", txn, url);
        }
    }

    private void onStatus(ChannelHandlerContext ctx, RtmpCommand c) {
        String code = c.info("code");
        if (PUBLISH_START.equals(code) && step == Step.PUBLISH) {
            step = Step.PUBLISHING;
            events.published(ctx.channel(), streamId);
        } else if (LEVEL_ERROR.equalsIgnoreCase(c.info("level"))) {
            fail(ctx, refused(step == Step.PUBLISHING || step == Step.PUBLISH ? "publish" : step(), c, hint(code)));
        } else {
            LOG.debug("status {} from {}", code, url);
        }
    }

    private String hint(String code) {
        if (code.endsWith(".BadName")) {
            return "another encoder is using stream key " + Secrets.MASK + ", or the key is not valid on this server";
        }
        return "check the stream key " + Secrets.MASK + " and the server's log";
    }

    private RtmpPublishException refused(String what, RtmpCommand reply, String fix) {
        String code = reply.info("code");
        String description = url.scrub(reply.info("description"));
        return new RtmpPublishException("server rejected " + what + " (" + (code.isEmpty() ? reply.name() : code)
                + (description.isEmpty() ? "" : ": " + description) + "): " + fix, true);
    }

    private void fail(ChannelHandlerContext ctx, RtmpPublishException e) {
        events.failed(ctx.channel(), e);
        ctx.close();
    }

    /** The teardown commands (docs/protocols.md A3): FCUnpublish and deleteStream, without waiting for replies. */
    void writeTeardown(Channel channel) {
        if (step == Step.PUBLISHING) {
            channel.write(RtmpCommand.of("FCUnpublish", TXN_FC_UNPUBLISH, null, url.streamKey())
                    .toMessage(RtmpChunkStreams.COMMAND, 0));
            channel.write(RtmpCommand.of("deleteStream", TXN_DELETE_STREAM, null, (double) streamId)
                    .toMessage(RtmpChunkStreams.COMMAND, 0));
        }
    }
}
