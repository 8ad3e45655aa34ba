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

    /** "stopped"/"started" for each stop and start of route stream-a, in order. */
    private final List<String> routeEvents = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void startContextWithOneStreamRoute() throws Exception {
        camel = new DefaultCamelContext();
        camel.getManagementStrategy().addEventNotifier(new org.apache.camel.support.SimpleEventNotifierSupport() {
            @Override
            public void notify(org.apache.camel.spi.CamelEvent event) {
                if (event instanceof org.apache.camel.spi.CamelEvent.RouteEvent re
                        && "stream-a".equals(re.getRoute().getRouteId())) {
                    if (event instanceof org.apache.camel.spi.CamelEvent.RouteStoppedEvent) {
                        routeEvents.add("stopped");
                    } else if (event instanceof org.apache.camel.spi.CamelEvent.RouteStartedEvent) {
                        routeEvents.add("started");
                    }
                }
            }
        });
        // a lambda, not a RouteBuilder class: Camel Main scans io.camrelay.app (test classes too) for route builders
        RouteBuilder.addRoutes(camel, rb -> rb.from("timer:a?period=1000").routeId("stream-a").log("tick"));
        camel.start();
        routeEvents.clear();
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
        // the route was really stopped and started again, once: not merely found running
        await().atMost(Duration.ofSeconds(5)).until(() -> routeEvents.equals(List.of("stopped", "started")));
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                .until(() -> routeEvents.equals(List.of("stopped", "started")));
    }

    @Test
    void aStreamHealthyForAMinuteStartsOverAtTheFirstDelay() {
        long first = handler.failed("a", "stream-a", new IllegalStateException("one"));
        awaitRestarts(1);
        clock.addAndGet(first + 1_000);
        long second = handler.failed("a", "stream-a", new IllegalStateException("two"));
        assertThat(second).isGreaterThan(first);
        awaitRestarts(2);
        clock.addAndGet(second + StreamFailureHandler.HEALTHY_MS + 1_000);
        long third = handler.failed("a", "stream-a", new IllegalStateException("three"));
        assertThat(third).isBetween(160L, 240L);
    }

    @Test
    void nothingIsStoppedOrRestartedOnceTheHandlerStopped() {
        lifecycle.stop();
        assertThat(handler.failed("a", "stream-a", new IllegalStateException("late"))).isEqualTo(-1);
        // longer than the 200 ms restart delay a running handler would have used
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(routeEvents::isEmpty);
        assertThat(registry.snapshot("a").orElseThrow().restarts()).isZero();
    }

    /** Waits until the route was stopped and started again {@code restarts} times in all. */
    private void awaitRestarts(int restarts) {
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < restarts; i++) {
            expected.add("stopped");
            expected.add("started");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !handler.restartPending("a") && routeEvents.equals(expected));
    }
}
