package io.camrelay.imageserver.session;

import io.camrelay.vms.RecorderAddress;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/** TLS towards a recorder whose webServerUri is https (docs/protocols.md §1.1): verified unless the operator opts out. */
final class RecorderTls {

    private final boolean trustAll;
    private SslContext context;

    RecorderTls(boolean trustAll) {
        this.trustAll = trustAll;
    }

    SslHandler handler(Channel ch, RecorderAddress address) {
        try {
            if (context == null) {
                SslContextBuilder builder = SslContextBuilder.forClient();
                if (trustAll) {
                    builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
                }
                context = builder.build();
            }
        } catch (SSLException e) {
            throw new IllegalStateException("cannot create the TLS context for recorder connections", e);
        }
        SslHandler handler = context.newHandler(ch.alloc(), address.host(), address.port());
        if (!trustAll) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return handler;
    }
}
