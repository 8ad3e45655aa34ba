package io.camrelay.streams;

import io.camrelay.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.vms.UnknownCameraException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamReconcilerTest extends CamelTestSupport {

    private final StreamStatusRegistry registry = new StreamStatusRegistry();
    private StreamReconciler reconciler;
    private StreamOutputsRegistry outputs;
    private final RecordingDestinationType recording = new RecordingDestinationType();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        // as in the application: routes added at run time are supervised but not started
        ctx.getRouteController().supervising();
        return ctx;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                TestStreamTemplate.declare(this)
                        .templateParameter("sourceUri")
                        .from("{{sourceUri}}")
                        .setHeader("camera", constant("{{cameraId}}"))
                        .to("mock:{{streamId}}");
            }
        };
    }

    @BeforeEach
    void newReconciler() {
        CameraResolver cameras = camera -> {
            if (camera.equals("ghost")) {
                throw new UnknownCameraException(camera, null);
            }
            return new CameraResolver.ResolvedCamera("id-of-" + camera, camera);
        };
        outputs = new StreamOutputsRegistry(context, registry, new DestinationTypes(List.of(recording,
                new FlvFileDestinationType())), HoldDecision.ALWAYS);
        reconciler = new StreamReconciler(context, registry, cameras, outputs, StreamReconciler.TEMPLATE_ID, (d, c) -> {
            Map<String, Object> p = new LinkedHashMap<>(StreamReconciler.standardParameters(d, c));
            // no component has the scheme rtmpx: creating the route fails on an endpoint URI that holds the key
            p.put("sourceUri", d.camera().equals("broken") ? d.destinations().get(0).url().replace("rtmp:", "rtmpx:")
                    : "timer:" + d.id() + "?period=10");
            return p;
        });
    }

    private static StreamDefinition stream(String id, String camera, String url) {
        return new StreamDefinition(id, id.toUpperCase(), camera, null, true, List.of(new Destination(url, false)),
                StreamSource.FILE);
    }

    private static DesiredStreams desired(StreamDefinition... streams) {
        return new DesiredStreams(List.of(streams), List.of(), null, null);
    }

    private Route route(String id) {
        return context.getRoute(StreamDefinition.routeIdOf(id));
    }

    @Test
    void aPollWhileTheApplicationStopsNeitherPublishesAgainNorAddsRoutes() throws Exception {
        reconciler.reconcile(desired(stream("a", "cam1", "test://a")));
        assertThat(recording.sinksOf("test://a")).hasSize(1);
        java.util.concurrent.CountDownLatch stopping = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        // holds the context in its stop (STOPPING) the way slow-to-stop stream routes do
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                stopping.countDown();
                release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }, true, true);
        Thread stopper = new Thread(context::stop, "test-stop");
        stopper.start();
        try {
            assertThat(stopping.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(context.isStopping()).isTrue();
            // what the stream route's last step does when the application stops: unpublish
            outputs.closeAndWait("a");

            reconciler.reconcile(desired(stream("a", "cam1", "test://a"), stream("b", "cam2", "test://b")));
            reconciler.recheck("a");

            assertThat(recording.sinksOf("test://a")).as("publishes of a: no second one during the stop").hasSize(1);
            assertThat(recording.sinksOf("test://b")).as("a new stream is not published during the stop").isEmpty();
            assertThat(route("b")).as("nor is its route added").isNull();
        } finally {
            release.countDown();
            stopper.join(10_000);
        }
    }

    @Test
    void addsAndStartsARouteForEachNewStream() throws Exception {
        reconciler.reconcile(desired(stream("a", "cam1", "a.flv"), stream("b", "cam2", "b.flv")));

        assertThat(context.getRouteController().getRouteStatus("stream-a")).isEqualTo(ServiceStatus.Started);
        assertThat(context.getRouteController().getRouteStatus("stream-b")).isEqualTo(ServiceStatus.Started);
        getMockEndpoint("mock:a").expectedMinimumMessageCount(1);
        getMockEndpoint("mock:a").expectedHeaderReceived("camera", "id-of-cam1");
        getMockEndpoint("mock:a").assertIsSatisfied();
        assertThat(registry.snapshot("a").orElseThrow().cameraId()).isEqualTo("id-of-cam1");
    }

    @Test
    void leavesUnchangedStreamsRunningAndRestartsOnlyTheRouteWhoseCameraChanged() throws Exception {
        reconciler.reconcile(desired(stream("a", "cam1", "test://a"), stream("b", "cam2", "test://b")));
        Route a = route("a");
        Route b = route("b");
        Object consumerOfA = a.getConsumer();

        reconciler.reconcile(desired(stream("a", "cam1", "test://a"), stream("b", "cam3", "test://b")));

        assertThat(route("a")).isSameAs(a);
        assertThat(route("a").getConsumer()).isSameAs(consumerOfA);
        assertThat(route("b")).isNotSameAs(b);
        assertThat(context.getRouteController().getRouteStatus("stream-b")).isEqualTo(ServiceStatus.Started);
        // the destinations belong to the stream, not its route: a new camera keeps the publish
        assertThat(recording.sinksOf("test://b")).hasSize(1).allMatch(sink -> !sink.stopped);
    }

    @Test
    void aChangedDestinationRepublishesAloneWithoutRestartingTheRoute() {
        reconciler.reconcile(desired(new StreamDefinition("a", "A", "cam1", null, true, List.of(
                new Destination("test://kept", false), new Destination("test://old", false)), StreamSource.FILE)));
        Route a = route("a");

        reconciler.reconcile(desired(new StreamDefinition("a", "A", "cam1", null, true, List.of(
                new Destination("test://kept", false), new Destination("test://new", false)), StreamSource.FILE)));

        assertThat(route("a")).isSameAs(a);
        assertThat(recording.sinksOf("test://kept")).hasSize(1).allMatch(sink -> !sink.stopped);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> recording.sinksOf("test://old").get(0).stopped);
        assertThat(recording.sinksOf("test://new")).hasSize(1).allMatch(sink -> sink.started && !sink.stopped);
    }

    @Test
    void aChangedRotationReachesTheRunningSinksWithoutARepublish() {
        StreamDefinition a = stream("a", "cam1", "test://a");
        reconciler.reconcile(desired(a));

        reconciler.reconcile(desired(new StreamDefinition("a", "A", "cam1", null, true, a.destinations(),
                StreamSource.FILE, HoldSettings.DEFAULT, java.time.Duration.ofHours(11))));

        assertThat(recording.sinksOf("test://a")).hasSize(1)
                .allSatisfy(sink -> assertThat(sink.rotate).isEqualTo(java.time.Duration.ofHours(11)));
    }

    @Test
    void removingOrDisablingAStreamUnpublishesItsDestinations() {
        reconciler.reconcile(desired(stream("a", "cam1", "test://a"), stream("b", "cam2", "test://b")));

        reconciler.reconcile(desired(stream("a", "cam1", "test://a").withEnabled(false)));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                recording.sinksOf("test://a").get(0).stopped && recording.sinksOf("test://b").get(0).stopped);
        assertThat(outputs.ids()).isEmpty();
    }

    @Test
    void aRenameKeepsTheRouteAndShowsTheNewName() {
        reconciler.reconcile(desired(stream("a", "cam1", "a.flv")));
        Route a = route("a");
        StreamDefinition renamed = new StreamDefinition("a", "Front door", "cam1", null, true,
                List.of(new Destination("a.flv", false)), StreamSource.FILE);
        reconciler.reconcile(desired(renamed));
        assertThat(route("a")).isSameAs(a);
        assertThat(registry.snapshot("a").orElseThrow().name()).isEqualTo("Front door");
    }

    @Test
    void removesTheRoutesOfRemovedAndDisabledStreams() {
        reconciler.reconcile(desired(stream("a", "cam1", "a.flv"), stream("b", "cam2", "b.flv"),
                stream("c", "cam3", "c.flv")));

        reconciler.reconcile(desired(stream("a", "cam1", "a.flv"), stream("b", "cam2", "b.flv").withEnabled(false)));

        assertThat(route("b")).isNull();
        assertThat(route("c")).isNull();
        assertThat(route("a")).isNotNull();
        assertThat(registry.snapshot("b").orElseThrow().state()).isEqualTo(StreamState.DISABLED);
        assertThat(registry.snapshot("c")).isEmpty();
        assertThat(reconciler.runningIds()).containsExactly("a");
    }

    @Test
    void aDisabledStreamGetsNoRoute() {
        reconciler.reconcile(desired(stream("a", "cam1", "a.flv").withEnabled(false)));
        assertThat(route("a")).isNull();
        assertThat(registry.snapshot("a").orElseThrow().state()).isEqualTo(StreamState.DISABLED);
    }

    @Test
    void anUnknownCameraPutsOnlyThatStreamInError() {
        reconciler.reconcile(desired(stream("a", "ghost", "a.flv"), stream("b", "cam2", "b.flv")));

        StreamStatus a = registry.snapshot("a").orElseThrow();
        assertThat(a.state()).isEqualTo(StreamState.ERROR);
        assertThat(a.lastError()).contains("XProtect has no camera 'ghost'");
        assertThat(route("a")).isNull();
        assertThat(context.getRouteController().getRouteStatus("stream-b")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void aRouteThatCannotBeCreatedPutsOnlyThatStreamInErrorAndIsRetriedNextPoll() {
        try (LogCapture logs = LogCapture.capture()) {
            reconciler.reconcile(desired(stream("a", "broken", "rtmp://h/live/secret-key"),
                    stream("b", "cam2", "b.flv")));
            assertThat(logs.text()).contains("could not be started").doesNotContain("secret-key");
        }

        StreamStatus a = registry.snapshot("a").orElseThrow();
        assertThat(a.state()).isEqualTo(StreamState.ERROR);
        assertThat(a.lastError()).contains("could not be started").contains("rtmpx://h/live/****")
                .doesNotContain("secret-key");
        assertThat(context.getRouteController().getRouteStatus("stream-b")).isEqualTo(ServiceStatus.Started);
        assertThat(reconciler.runningIds()).containsExactly("b");

        reconciler.reconcile(desired(stream("a", "cam1", "rtmp://h/live/secret-key"), stream("b", "cam2", "b.flv")));
        assertThat(context.getRouteController().getRouteStatus("stream-a")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void anInvalidDefinitionStopsItsRunningRouteAndShowsTheReason() {
        reconciler.reconcile(desired(stream("a", "cam1", "a.flv"), stream("b", "cam2", "b.flv")));
        Route b = route("b");

        reconciler.reconcile(new DesiredStreams(List.of(stream("b", "cam2", "b.flv")),
                List.of(new StreamProblem("a", "A", "cam1", StreamSource.FILE, "config/streams.yaml line 4: bad")),
                null, null));

        assertThat(route("a")).isNull();
        assertThat(route("b")).isSameAs(b);
        assertThat(registry.snapshot("a").orElseThrow().lastError()).isEqualTo("config/streams.yaml line 4: bad");
        assertThat(registry.snapshot("a").orElseThrow().state()).isEqualTo(StreamState.ERROR);
    }

    /** A gate the test opens and closes. */
    private static final class TestGate implements StreamGate {
        volatile Verdict verdict = Verdict.OPEN;
        volatile java.util.function.Consumer<String> recheck;
        final List<String> forgotten = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public Verdict check(StreamDefinition definition) {
            return verdict;
        }

        @Override
        public void onChange(java.util.function.Consumer<String> recheck) {
            this.recheck = recheck;
        }

        @Override
        public void forget(String streamId) {
            forgotten.add(streamId);
        }
    }

    @Test
    void aClosedGateKeepsTheStreamOffShowingItsStateAndNextStartAndOpeningItStartsTheStream() throws Exception {
        TestGate gate = new TestGate();
        java.time.Instant at = java.time.Instant.parse("2026-12-01T07:00:00Z");
        gate.verdict = StreamGate.Verdict.closed(StreamState.SCHEDULED, "outside its schedule", at, null);
        StreamReconciler gated = new StreamReconciler(context, registry, c -> new CameraResolver.ResolvedCamera(c,
                c), outputs, StreamReconciler.TEMPLATE_ID, (d, c) -> {
                    Map<String, Object> p = new LinkedHashMap<>(StreamReconciler.standardParameters(d, c));
                    p.put("sourceUri", "timer:" + d.id() + "?period=10");
                    return p;
                }, List.of(gate));
        StreamDefinition lobby = stream("lobby", "cam", RecordingDestinationType.SCHEME + "h/live/k");
        gated.reconcile(desired(lobby));

        assertThat(route("lobby")).as("no route outside the gate").isNull();
        StreamStatus closed = registry.snapshot("lobby").orElseThrow();
        assertThat(closed.state()).isEqualTo(StreamState.SCHEDULED);
        assertThat(closed.nextStart()).isEqualTo(at);
        assertThat(recording.sinks).as("no destination opened").isEmpty();

        gate.verdict = StreamGate.Verdict.openOwnedBy("node-a");
        gate.recheck.accept("lobby"); // the gate says so between two polls
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> route("lobby") != null
                && context.getRouteController().getRouteStatus(route("lobby").getRouteId()) == ServiceStatus.Started);
        assertThat(registry.snapshot("lobby").orElseThrow().owner()).isEqualTo("node-a");
        assertThat(registry.snapshot("lobby").orElseThrow().nextStart()).isNull();

        gate.verdict = StreamGate.Verdict.closed(StreamState.STANDBY, "node-b streams it", null, "node-b");
        gate.recheck.accept("lobby");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> route("lobby") == null);
        StreamStatus standby = registry.snapshot("lobby").orElseThrow();
        assertThat(standby.state()).isEqualTo(StreamState.STANDBY);
        assertThat(standby.owner()).isEqualTo("node-b");
        assertThat(outputs.get("lobby")).as("its destinations were closed").isEmpty();

        gated.reconcile(desired());
        assertThat(gate.forgotten).containsExactly("lobby");
    }
}
