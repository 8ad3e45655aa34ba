package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.rtmp.client.RtmpUrl;
import io.camrelay.support.StreamThreads;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** URI forms, option validation and key masking of the rtmp/rtmps endpoints. */
class RtmpEndpointTest {

    private CamelContext context;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private RtmpEndpoint endpoint(String uri) {
        RtmpEndpoint e = context.getEndpoint(uri, RtmpEndpoint.class);
        e.init();
        return e;
    }

    @Test
    void aStreamsPublishersRunOnItsLoopOfTheSharedGroupAndOthersOnTheComponentsOwn() {
        EventLoopGroup shared = new NioEventLoopGroup(2);
        try {
            RtmpComponent component = context.getComponent("rtmp", RtmpComponent.class);
            EventLoop withoutGroup = component.publisherLoop("cam-1");
            context.getRegistry().bind(StreamThreads.BEAN_NAME, shared);
            List<EventLoop> loops = new ArrayList<>();
            shared.forEach(e -> loops.add((EventLoop) e));

            // the loop the xprotect component gives the stream's session (XProtectEndpointTest) is chosen the same way
            assertThat(component.publisherLoop("cam-1")).isSameAs(StreamThreads.forStream(loops,
                    "cam-1"));
            assertThat(loops).doesNotContain(withoutGroup, component.publisherLoop(null));
        } finally {
            shared.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void singleUrlIsSplitAndPrintedWithTheKeyMasked() {
        RtmpEndpoint e = endpoint("rtmp://a.rtmp.youtube.com/live2/SECRET-KEY");

        assertThat(e.getDestination()).isEqualTo(RtmpUrl.parse("rtmp://a.rtmp.youtube.com/live2/SECRET-KEY"));
        assertThat(e.toString()).isEqualTo("RtmpEndpoint[rtmp://a.rtmp.youtube.com/live2/****]");
    }

    @Test
    void rtmpsSchemeSelectsTlsAndPort443() {
        RtmpEndpoint e = endpoint("rtmps://live.twitch.tv/app/SECRET-KEY");

        assertThat(e.getDestination().secure()).isTrue();
        assertThat(e.getDestination().port()).isEqualTo(443);
    }

    @Test
    void serverUrlTakesTheKeyFromTheStreamKeyOption() {
        RtmpEndpoint e = endpoint("rtmps://b.rtmps.youtube.com:443/live2?streamKey=RAW(ab+c&d)");

        assertThat(e.getDestination().app()).isEqualTo("live2");
        assertThat(e.getDestination().streamKey()).isEqualTo("ab+c&d");
        assertThat(e.toString()).doesNotContain("ab+c");
    }

    @Test
    void queryParametersThatAreNoOptionsStayWithTheKey() {
        RtmpEndpoint e = endpoint("rtmps://live-api-s.facebook.com:443/rtmp/FB-KEY?s_bl=1&chunkSize=8192");

        assertThat(e.getDestination().streamKey()).isEqualTo("FB-KEY?s_bl=1");
        assertThat(e.getConfiguration().getChunkSize()).isEqualTo(8192);
    }

    @Test
    void severalKeyQueryParametersKeepTheirOrder() {
        RtmpEndpoint e = endpoint("rtmps://live-api-s.facebook.com:443/rtmp/FB-KEY?s_sw=0&s_bl=1&a=Ab");

        assertThat(e.getDestination().streamKey()).isEqualTo("FB-KEY?s_sw=0&s_bl=1&a=Ab");
    }

    @Test
    void urlWithoutKeyFailsNamingTheExpectedForm() {
        assertThatThrownBy(() -> endpoint("rtmp://host/live"))
                .hasStackTraceContaining("invalid rtmp endpoint: RTMP URL 'rtmp://host/****' has no application and "
                        + "stream key: expected rtmp[s]://host[:port]/app/streamKey");
    }

    @Test
    void invalidOptionValueFailsNamingIt() {
        assertThatThrownBy(() -> endpoint("rtmp://host/live/key?chunkSize=10"))
                .hasStackTraceContaining("chunkSize 10 is outside 128..16777215");
        assertThatThrownBy(() -> endpoint("rtmp://host/live/key?backoffInitialDelay=5s&backoffMaxDelay=1s"))
                .hasStackTraceContaining("backoffMaxDelay (1000 ms) must not be below backoffInitialDelay (5000 ms)");
    }

    @Test
    void durationsAcceptCamelNotation() {
        RtmpEndpoint e = endpoint("rtmp://host/live/key?readTimeout=15s&backoffMaxDelay=2m");

        assertThat(e.getConfiguration().getReadTimeout()).isEqualTo(15_000);
        assertThat(e.getConfiguration().getBackoffMaxDelay()).isEqualTo(120_000);
    }

    @Test
    void bodyThatIsNoFlvTagFailsTheExchangeWithoutBlocking() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("rtmp://127.0.0.1:9/live/key");
            }
        });

        Exchange result = context.createProducerTemplate().send("direct:in", x -> x.getIn().setBody("not a tag"));

        assertThat(result.getException()).isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void unknownSchemeFormIsRefused() {
        assertThatThrownBy(() -> context.getEndpoint("rtmp:"))
                .isInstanceOf(ResolveEndpointFailedException.class);
    }
}
