package io.camrelay.testing;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

/**
 * An outbound handler that plays a socket whose peer stopped reading: once {@link #stall()}ed, what is written is
 * taken and never completes (no flush ever gets out); closing the channel fails what was held. Add it first in an
 * {@code EmbeddedChannel}'s pipeline.
 */
public final class StalledWrites extends ChannelOutboundHandlerAdapter {

    private final List<ChannelPromise> held = new ArrayList<>();
    private boolean stalled;

    /** From now on nothing written gets out. */
    public void stall() {
        stalled = true;
    }

    /** Writes held, never completed. */
    public int held() {
        return held.size();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!stalled) {
            ctx.write(msg, promise);
            return;
        }
        ReferenceCountUtil.release(msg);
        held.add(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        for (ChannelPromise p : held) {
            p.tryFailure(new ClosedChannelException());
        }
        held.clear();
        super.close(ctx, promise);
    }
}
