package io.camrelay.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Counts bytes received on the connection, for Acknowledgements (RTMP 1.0 §5.4.3). Sits first in the pipeline. */
public final class RtmpByteCounter extends ChannelInboundHandlerAdapter {

    private long received;

    /** Bytes received so far. */
    public long received() {
        return received;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            received += b.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }
}
