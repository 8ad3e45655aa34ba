package io.camrelay.imageserver.session;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;

/**
 * Opens the socket of a {@link RecorderConnection}: TCP on the session's event loop by default; the package-private
 * seam through which tests hand sessions an {@code EmbeddedChannel} instead.
 */
@FunctionalInterface
interface RecorderDialer {

    /**
     * Opens a socket to {@code target} whose pipeline {@code initializer} sets up; never blocks.
     *
     * @return a future that completes when the socket is connected, or fails with the reason it could not be
     */
    ChannelFuture dial(InetSocketAddress target, ChannelHandler initializer);

    /** TCP (with no Nagle delay: requests are small and replies wait for them) from {@code loop}. */
    static RecorderDialer tcp(EventLoop loop, long connectTimeoutMs) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs);
        return (target, initializer) -> new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeout)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(initializer)
                .connect(target);
    }
}
