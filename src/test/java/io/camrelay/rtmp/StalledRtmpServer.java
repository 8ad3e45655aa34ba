package io.camrelay.rtmp;

import io.camrelay.rtmp.chunk.RtmpChunkDecoder;
import io.camrelay.rtmp.chunk.RtmpChunkEncoder;
import io.camrelay.rtmp.chunk.RtmpMessage;
import io.camrelay.rtmp.chunk.RtmpMessageTypes;
import io.camrelay.rtmp.message.RtmpCommand;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real RTMP server on 127.0.0.1 that completes the handshake and the publish commands, answers
 * NetStream.Publish.Start, and then never reads again: the slow destination of docs/protocols.md A10. In the other modes it
 * keeps reading (recording the commands it got) or never answers publish, like a server silently ignoring a key.
 */
final class StalledRtmpServer implements AutoCloseable {

    /** What happens after publish. */
    enum Mode { STALL, READ, IGNORE_PUBLISH }

    final List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Mode mode;

    /** Small receive buffer so the stall shows after little data. */
    private static final int RECEIVE_BUFFER = 8 * 1024;

    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger stalled = new AtomicInteger();
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;

    StalledRtmpServer() throws InterruptedException {
        this(Mode.STALL);
    }

    StalledRtmpServer(Mode mode) throws InterruptedException {
        this.mode = mode;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER)
                .childOption(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new ServerHandshake(), new RtmpChunkDecoder(), new RtmpChunkEncoder(),
                                new Replies());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** S0+S1+S2 on C0+C1 (S2 = C1 echo), then swallow C2 and step aside. */
    private static final class ServerHandshake extends ByteToMessageDecoder {
        private boolean sent;

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (!sent && in.readableBytes() >= 1537) {
                in.skipBytes(1);
                ByteBuf reply = ctx.alloc().buffer(1 + 1536 * 2);
                reply.writeByte(3).writeZero(1536).writeBytes(in, 1536);
                ctx.writeAndFlush(reply);
                sent = true;
            }
            if (sent && in.readableBytes() >= 1536) {
                in.skipBytes(1536);
                ctx.pipeline().remove(this);
            }
        }
    }

    private final class Replies extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof RtmpMessage m) || m.typeId() != RtmpMessageTypes.COMMAND_AMF0) {
                return;
            }
            RtmpCommand c = RtmpCommand.decode(m.payload());
            commands.add(c.name());
            if (c.name().equals("publish") && mode == Mode.IGNORE_PUBLISH) {
                return;
            }
            switch (c.name()) {
                case "connect" -> ctx.writeAndFlush(RtmpCommand.of("_result", c.transactionId(),
                        Map.of("fmsVer", "stalled/1"), Map.of("level", "status", "code",
                                "NetConnection.Connect.Success")).toMessage(3, 0));
                case "createStream" -> ctx.writeAndFlush(RtmpCommand.of("_result", c.transactionId(), null, 1.0)
                        .toMessage(3, 0));
                case "publish" -> {
                    ctx.writeAndFlush(RtmpCommand.of("onStatus", 0, null, Map.of("level", "status", "code",
                            "NetStream.Publish.Start")).toMessage(5, 1));
                    if (mode == Mode.STALL) {
                        ctx.channel().config().setAutoRead(false); // from now on nothing is read
                        stalled.incrementAndGet();
                    }
                }
                default -> {
                }
            }
        }
    }
}
