package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camrelay.support.Backoff;
import io.camrelay.streams.Destination;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamSource;
import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.vms.VmsAuthenticationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamFailureHandlerTest {

    private final StreamStatusRegistry registry = new StreamStatusRegistry();
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<String> reported = new ArrayList<>();
    private CamelContext camel;
    private StreamFailureHandler handler;
    private ServiceSupport lifecycle;

    @BeforeEach
    void startContextWithOneStreamRoute() throws Exception {
        camel = new DefaultCamelContext();
        // a lambda, not a RouteBuilder class: Camel Main scans io.camrelay.app (test classes too) for route builders
        RouteBuilder.addRoutes(camel, rb -> rb.from("timer:a?period=1000").routeId("stream-a").log("tick"));
        camel.start();
        registry.define(new StreamDefinition("a", "A", "cam", null, true, List.of(new Destination("a.flv", false)),
                StreamSource.FILE));
        handler = new StreamFailureHandler(camel, registry, null, (s, c, m) -> reported.add(s + ": " + m), 200,
                clock::get);
        lifecycle = handler.lifecycle();
        lifecycle.start();
    }

    @AfterEach
    void stop() {
        lifecycle.stop();
        camel.stop();
    }

    @Test
    void delaysDoubleFromTheFirstDelayWithJitterUpToFiveMinutes() {
        StreamFailureHandler production = new StreamFailureHandler(camel, registry, null,
                StreamFailureHandler.EventReporter.NONE, StreamFailureHandler.INITIAL_DELAY_MS);
        Backoff backoff = production.newBackoff();
        assertThat(production.nextDelay(backoff, null)).isBetween(4_000L, 6_000L);
        assertThat(production.nextDelay(backoff, null)).isBetween(8_000L, 12_000L);
        for (int i = 0; i < 18; i++) {
            production.nextDelay(backoff, null);
        }
        assertThat(production.nextDelay(backoff, null)).isBetween(240_000L, 300_000L);
    }

    @Test
    void refusedCredentialsWaitAtLeastAsLongAsTheVmsAsks() {
        RuntimeException refused = new RuntimeException(new VmsAuthenticationException("login refused",
                Duration.ofMinutes(10)));
        assertThat(handler.nextDelay(handler.newBackoff(), refused)).isGreaterThanOrEqualTo(Duration.ofMinutes(10).toMillis());
        RuntimeException soon = new RuntimeException(new VmsAuthenticationException("login refused",
                Duration.ofSeconds(1)));
        assertThat(handler.nextDelay(handler.newBackoff(), soon)).isGreaterThanOrEqualTo(StreamFailureHandler.CREDENTIALS_DELAY_MS);
    }

    @Test
    void manyFailuresOfOneEpisodeRecordReportAndRestartOnce() {
        IllegalStateException boom = new IllegalStateException("boom at rtmp://h/live/secret-key");
        assertThat(handler.failed("a", "stream-a", boom)).isPositive();
        assertThat(handler.failed("a", "stream-a", boom)).isEqualTo(-1);
        assertThat(handler.failed("a", "stream-a", boom)).isEqualTo(-1);

        assertThat(registry.snapshot("a").orElseThrow().restarts()).isEqualTo(1);
        assertThat(registry.snapshot("a").orElseThrow().lastError()).contains("****").doesNotContain("secret-key");
        assertThat(reported).hasSize(1);
        assertThat(reported.get(0)).doesNotContain("secret-key");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> camel.getRouteController().getRouteStatus("stream-a") == ServiceStatus.Started);
    }

    @Test
    void aStreamHealthyForAMinuteStartsOverAtTheFirstDelay() {
        long first = handler.failed("a", "stream-a", new IllegalStateException("one"));
        awaitStarted();
        clock.addAndGet(first + 1_000);
        long second = handler.failed("a", "stream-a", new IllegalStateException("two"));
        assertThat(second).isGreaterThan(first);
        awaitStarted();
        clock.addAndGet(second + StreamFailureHandler.HEALTHY_MS + 1_000);
        long third = handler.failed("a", "stream-a", new IllegalStateException("three"));
        assertThat(third).isBetween(160L, 240L);
    }

    @Test
    void nothingIsRestartedOnceStopped() {
        lifecycle.stop();
        assertThat(handler.failed("a", "stream-a", new IllegalStateException("late"))).isEqualTo(-1);
        assertThat(camel.getRouteController().getRouteStatus("stream-a")).isEqualTo(ServiceStatus.Started);
    }

    private void awaitStarted() {
        await().atMost(Duration.ofSeconds(5)).until(() -> !handler.restartPending("a"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> camel.getRouteController().getRouteStatus("stream-a") == ServiceStatus.Started);
    }
}
