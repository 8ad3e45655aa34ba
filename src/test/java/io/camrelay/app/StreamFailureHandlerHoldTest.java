package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camrelay.media.FlvTag;
import io.camrelay.streams.Destination;
import io.camrelay.streams.DestinationTypes;
import io.camrelay.streams.HoldDecision;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamOutputsRegistry;
import io.camrelay.streams.StreamSource;
import io.camrelay.streams.StreamState;
import io.camrelay.streams.StreamStatusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failure handling asks the stream's outputs first (docs/design.md §7a): a failure holds the broadcast through
 * the route's restart, except one the hold decision's hook names — here a stand-in for the ImageServer's
 * privacy-mask refusal — which unpublishes at once and shows ERROR.
 */
class StreamFailureHandlerHoldTest {

    /** Stands in for io.camrelay.imageserver.PrivacyMaskException, which the wiring will name. */
    static final class MaskStandIn extends RuntimeException {
        MaskStandIn() {
            super("camera 12 has a privacy mask in XProtect; CamRelay does not publish masked cameras");
        }
    }

    private final StreamStatusRegistry registry = new StreamStatusRegistry();
    private AtomicInteger stops;
    private CamelContext camel;
    private StreamOutputsRegistry outputs;
    private StreamFailureHandler handler;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        RouteBuilder.addRoutes(camel, rb -> rb.from("timer:a?period=1000").routeId("stream-a").log("tick"));
        camel.start();
        StreamingDestinationType sinks = new StreamingDestinationType();
        stops = sinks.stops;
        StreamDefinition a = new StreamDefinition("a", "A", "cam", null, true, List.of(new Destination("x://a", false)),
                StreamSource.FILE);
        registry.define(a);
        outputs = new StreamOutputsRegistry(camel, registry, new DestinationTypes(List.of(sinks)),
                new HoldDecision(List.of(MaskStandIn.class)));
        outputs.open(a);
        // one key frame went out: there is a broadcast to keep
        outputs.get("a").orElseThrow().deliver(List.of(FlvTag.video(0, true, false, false,
                new byte[] {0x17, 1, 0, 0, 0})), Long.MIN_VALUE);
        handler = new StreamFailureHandler(camel, registry, outputs, StreamFailureHandler.EventReporter.NONE, 200);
        handler.lifecycle().start();
    }

    @AfterEach
    void stop() throws Exception {
        outputs.stop();
        camel.stop();
    }

    @Test
    void aFailureHoldsThroughTheRestartAndShowsHoldingWithTheReason() {
        handler.failed("a", "stream-a", new IllegalStateException("camera changed its codec"));

        assertThat(registry.snapshot("a").orElseThrow().state()).isEqualTo(StreamState.HOLDING);
        assertThat(registry.snapshot("a").orElseThrow().lastError()).contains("camera changed its codec");
        assertThat(registry.snapshot("a").orElseThrow().sourceLastError()).contains("camera changed its codec");
        assertThat(registry.snapshot("a").orElseThrow().restarts()).isEqualTo(1);
        assertThat(stops).hasValue(0);
    }

    @Test
    void aCauseTheHookNamesEndsTheBroadcastAtOnceAndShowsError() {
        handler.failed("a", "stream-a", new RuntimeException(new MaskStandIn()));

        assertThat(registry.snapshot("a").orElseThrow().state()).isEqualTo(StreamState.ERROR);
        assertThat(registry.snapshot("a").orElseThrow().lastError()).contains("privacy mask");
        await().atMost(Duration.ofSeconds(5)).until(() -> stops.get() == 1);
    }
}
