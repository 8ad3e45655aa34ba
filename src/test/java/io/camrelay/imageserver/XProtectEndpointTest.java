package io.camrelay.imageserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.support.StreamThreads;
import io.camrelay.vms.RecorderAddress;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class XProtectEndpointTest {

    private static final RecorderAddress NOWHERE = new RecorderAddress("127.0.0.1", 9, false);
    private final CamelContext context = new DefaultCamelContext();
    private final TestVms vms = new TestVms(NOWHERE, Duration.ofMinutes(1));

    @AfterEach
    void stop() {
        context.stop();
        vms.close();
    }

    @Test
    void aStreamRoutesSessionRunsOnItsStreamsLoopOfTheSharedGroupAndAnyOtherOnTheComponentsOwn() {
        EventLoopGroup shared = new NioEventLoopGroup(2);
        try {
            XProtectComponent component = context.getComponent("xprotect", XProtectComponent.class);
            EventLoop withoutGroup = component.liveLoop("stream-cam-1");
            context.getRegistry().bind(StreamThreads.BEAN_NAME, shared);
            List<EventLoop> loops = new ArrayList<>();
            shared.forEach(e -> loops.add((EventLoop) e));

            // the loop the rtmp component gives the stream's publishers (RtmpEndpointTest) is chosen the same way
            assertThat(component.liveLoop("stream-cam-1")).isSameAs(StreamThreads.forStream(loops,
                    "cam-1")).isSameAs(component.liveLoop("stream-cam-1"));
            assertThat(loops).doesNotContain(withoutGroup, component.liveLoop("my-own-route"));
        } finally {
            shared.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void appliesUriOptionsToTheEndpoint() {
        context.getRegistry().bind("vms", vms);

        XProtectEndpoint endpoint = context.getEndpoint("xprotect:cam-1?streamId=S1&maxContentLength=1000"
                + "&noDataTimeout=5s&reconnectMaxDelay=2m&trustAllCertificates=true", XProtectEndpoint.class);

        assertThat(endpoint.getCameraId()).isEqualTo("cam-1");
        XProtectConfiguration configuration = endpoint.getConfiguration();
        assertThat(configuration.getStreamId()).isEqualTo("S1");
        assertThat(configuration.getMaxContentLength()).isEqualTo(1000);
        assertThat(configuration.getNoDataTimeout()).isEqualTo(5000);
        assertThat(configuration.getReconnectMaxDelay()).isEqualTo(120_000);
        assertThat(configuration.isTrustAllCertificates()).isTrue();
        assertThat(configuration.getConnectTimeout()).isEqualTo(XProtectConfiguration.DEFAULT_CONNECT_TIMEOUT_MS);
    }

    @Test
    void usesTheVmsSessionNamedByReferenceWhenSeveralAreBound() throws Exception {
        TestVms other = new TestVms(NOWHERE, Duration.ofMinutes(1));
        context.getRegistry().bind("vms", vms);
        context.getRegistry().bind("other", other);
        try {
            XProtectEndpoint endpoint = context.getEndpoint("xprotect:cam-1?vmsAccess=#other", XProtectEndpoint.class);
            endpoint.init();

            assertThat(endpoint.getConfiguration().getVmsAccess()).isSameAs(other);
        } finally {
            other.close();
        }
    }

    @Test
    void refusesToStartWithoutAVmsSessionAndSaysHowToBindOne() {
        assertThatThrownBy(() -> startRoute("xprotect:cam-1"))
                .hasStackTraceContaining("xprotect:cam-1 has no VMS session: bind one io.camrelay.vms.VmsAccess");
    }

    @Test
    void rejectsNonPositiveNoDataTimeoutNamingTheValue() {
        context.getRegistry().bind("vms", vms);

        assertThatThrownBy(() -> startRoute("xprotect:cam-1?noDataTimeout=0"))
                .hasStackTraceContaining("noDataTimeout: 0 ms (expected: > 0)");
    }

    @Test
    void rejectsReconnectMaxDelayBelowTheInitialDelay() {
        context.getRegistry().bind("vms", vms);

        assertThatThrownBy(() -> startRoute("xprotect:cam-1?reconnectInitialDelay=5000&reconnectMaxDelay=1000"))
                .hasStackTraceContaining("reconnectMaxDelay 1000 ms is below reconnectInitialDelay 5000 ms");
    }

    @Test
    void cannotBeUsedAsAProducer() {
        context.getRegistry().bind("vms", vms);

        assertThatThrownBy(() -> context.getEndpoint("xprotect:cam-1").createProducer())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("receives video only");
    }

    private void startRoute(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("log:x");
            }
        });
        context.start();
    }
}
