package io.camrelay.rtmp.client;

import io.camrelay.rtmp.chunk.RtmpChunkDecoder;
import io.camrelay.rtmp.chunk.RtmpChunkEncoder;
import io.camrelay.rtmp.handshake.RtmpHandshakeHandler;
import io.camrelay.rtmp.message.RtmpByteCounter;
import io.camrelay.rtmp.message.RtmpControlHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/** Builds the channel of one publishing connection: socket options, TLS for rtmps, and the RTMP layers in order. */
final class RtmpChannels {

    /** JSSE's name for RFC 2818 host name checking, as HTTPS clients do it. */
    static final String ENDPOINT_IDENTIFICATION = "HTTPS";

    private RtmpChannels() {
    }

    /** The TLS context of an rtmps destination (JDK provider): verifying, or trusting anything when allowed. */
    static SslContext sslContext(boolean trustAll) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
            if (trustAll) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for RTMPS: " + e.getMessage(), e);
        }
    }

    /** The production dialer: a socket channel on {@code loop} to the destination, with TLS for rtmps. */
    static RtmpConnection.Dialer dialer(EventLoop loop, PublisherSettings settings) {
        SslContext ssl = settings.url().secure() ? sslContext(settings.allowUntrustedCertificates()) : null;
        return (address, session) -> bootstrap(loop, settings, ssl, session).connect(address);
    }

    /** A bootstrap on {@code loop} whose channel runs {@code session}. */
    static Bootstrap bootstrap(EventLoop loop, PublisherSettings settings, SslContext ssl, RtmpPublishHandler session) {
        return new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        settings.writeBufferLowWaterMark(), settings.writeBufferHighWaterMark()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline(ch.pipeline(), settings, ssl, session);
                    }
                });
    }

    private static void pipeline(ChannelPipeline p, PublisherSettings settings, SslContext ssl,
            RtmpPublishHandler session) {
        RtmpUrl url = settings.url();
        if (ssl != null) {
            SslHandler tls = ssl.newHandler(p.channel().alloc(), url.host(), url.port()); // host name → SNI
            tls.setHandshakeTimeoutMillis(settings.connectTimeoutMillis());
            if (!settings.allowUntrustedCertificates()) {
                SSLEngine engine = tls.engine();
                SSLParameters params = engine.getSSLParameters();
                params.setEndpointIdentificationAlgorithm(ENDPOINT_IDENTIFICATION);
                engine.setSSLParameters(params);
            }
            p.addLast("tls", tls);
        }
        RtmpByteCounter counter = new RtmpByteCounter();
        p.addLast("bytes", counter);
        p.addLast("handshake", new RtmpHandshakeHandler(Math.max(settings.readTimeoutMillis(),
                RtmpHandshakeHandler.DEFAULT_TIMEOUT_MILLIS)));
        p.addLast("chunkDecoder", new RtmpChunkDecoder(settings.maxIncomingMessageSize(),
                RtmpChunkDecoder.DEFAULT_MAX_CHUNK_STREAM_ID));
        p.addLast("chunkEncoder", new RtmpChunkEncoder());
        p.addLast("control", new RtmpControlHandler(counter));
        p.addLast("publish", session);
    }
}
