package io.camrelay.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.List;

/**
 * The simulated recorder's one port (reference §8.2 b: the RecorderCommandService is served on the ImageServer's
 * port): the first byte of a connection decides. An HTTP request starts with its method's capital letter
 * ({@code POST}); an ImageServer request with {@code <} (§1.1), and so does anything else, which the ImageServer's
 * strict decoder then refuses. The sniffer replaces itself with the one pipeline or the other.
 */
final class SimulatorPortSniffer extends ByteToMessageDecoder {

    private final ImageServerSimulator server;

    SimulatorPortSniffer(ImageServerSimulator server) {
        this.server = server;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        int first = in.getByte(in.readerIndex()) & 0xFF;
        if (first >= 'A' && first <= 'Z') {
            ctx.pipeline().addAfter(ctx.name(), "recorder-command", new RecorderCommandEndpoint(server));
            ctx.pipeline().addAfter(ctx.name(), "http-aggregator", new HttpObjectAggregator(SimHttp.MAX_REQUEST_BYTES));
            ctx.pipeline().addAfter(ctx.name(), "http", new HttpServerCodec());
        } else {
            ctx.pipeline().addAfter(ctx.name(), "imageserver-session", new SimulatedLiveSession(server));
            ctx.pipeline().addAfter(ctx.name(), "imageserver-requests", new SimulatorRequestDecoder());
        }
        // what was read so far goes on to the handler just added
        ctx.pipeline().remove(this);
    }
}
