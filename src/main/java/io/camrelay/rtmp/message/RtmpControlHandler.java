package io.camrelay.rtmp.message;

import io.camrelay.rtmp.chunk.RtmpMessage;
import io.camrelay.rtmp.chunk.RtmpMessageTypes;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the housekeeping out of the session (as gortmplib does: docs/protocols.md A2): answers pings (user control 6 → 7), sends
 * Acknowledgements once half the server's window has arrived (as FFmpeg does, docs/protocols.md A2), stores Window Ack
 * Size, ignores Set Peer Bandwidth (safe, docs/protocols.md A2) and passes AMF0 commands on as {@link RtmpCommand}s.
 * Chunk size and abort are already applied by the chunk decoder.
 */
public final class RtmpControlHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RtmpControlHandler.class);

    private final RtmpByteCounter counter;
    private long window;
    private long lastAcknowledged;

    /** A handler acknowledging the bytes {@code counter} has seen. */
    public RtmpControlHandler(RtmpByteCounter counter) {
        this.counter = counter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RtmpMessage m)) {
            ctx.fireChannelRead(msg);
            return;
        }
        byte[] p = m.payload();
        switch (m.typeId()) {
            case RtmpMessageTypes.WINDOW_ACK_SIZE -> {
                if (p.length >= 4) {
                    window = RtmpControlMessages.uint32(p, 0);
                    LOG.debug("server window acknowledgement size {}", window);
                }
            }
            case RtmpMessageTypes.USER_CONTROL -> {
                if (p.length >= 2 && (((p[0] & 0xFF) << 8) | (p[1] & 0xFF)) == RtmpControlMessages.EVENT_PING_REQUEST) {
                    ctx.writeAndFlush(RtmpControlMessages.pingResponse(Arrays.copyOfRange(p, 2, p.length)));
                }
            }
            case RtmpMessageTypes.COMMAND_AMF0 -> ctx.fireChannelRead(RtmpCommand.decode(p));
            case RtmpMessageTypes.SET_CHUNK_SIZE ->
                LOG.debug("server chunk size {}", RtmpControlMessages.uint32(p, 0));
            default -> LOG.debug("ignoring {}", m);
        }
        acknowledgeIfDue(ctx);
    }

    private void acknowledgeIfDue(ChannelHandlerContext ctx) {
        long received = counter.received();
        if (window > 0 && received - lastAcknowledged >= window / 2) {
            lastAcknowledged = received;
            ctx.writeAndFlush(RtmpControlMessages.acknowledgement(received & 0xFFFFFFFFL));
        }
    }
}
