package io.camrelay.imageserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camrelay.imageserver.session.PrivacyMask;
import io.camrelay.media.GenericByteData;
import io.camrelay.simulator.ImageServerBackend;
import io.camrelay.simulator.ImageServerSimulator;
import io.camrelay.simulator.RecorderBehaviour;
import io.camrelay.simulator.SimulatedCamera;
import io.camrelay.simulator.SimulatorClip;
import io.camrelay.vms.RecorderAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code xprotect:<camera>?mode=playback} in a Camel route against the simulated recorder on 127.0.0.1. */
class XProtectPlaybackIT {

    private static final String CAMERA = "55555555-aaaa-4000-8000-000000000001";
    private static final String MASKED = "55555555-aaaa-4000-8000-000000000002";
    private static final long MINUTE_MS = 60_000;

    private final Map<String, SimulatedCamera> cameras = new ConcurrentHashMap<>();
    private final List<Exchange> received = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final List<Exchange> errors = new CopyOnWriteArrayList<>();
    private ImageServerSimulator simulator;
    private TestVms vms;
    private CamelContext context;
    private volatile boolean slowRoute;

    @BeforeEach
    void start() throws Exception {
        cameras.put(CAMERA, new SimulatedCamera(CAMERA, "Gate", SimulatorClip.H264_BFRAMES, "s"));
        cameras.put(MASKED, new SimulatedCamera(MASKED, "Masked", SimulatorClip.H264_BASELINE, "s",
                RecorderBehaviour.REAL.withPrivacyMask(true)));
        simulator = new ImageServerSimulator(new ImageServerBackend() {
            @Override
            public Optional<SimulatedCamera> camera(String cameraId) {
                return Optional.ofNullable(cameras.get(cameraId));
            }

            @Override
            public boolean tokenValid(String vmsToken) {
                return vms.valid(vmsToken);
            }
        });
        simulator.start("127.0.0.1", 0);
        vms = new TestVms(new RecorderAddress("127.0.0.1", simulator.port(), false), Duration.ofMinutes(10));
    }

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
        vms.close();
        simulator.close();
    }

    @Test
    void readsTenMinutesAcrossTheGapFasterThanRealTimeEndsCleanlyAndRenewsTheTokenOnTheSocket() throws Exception {
        vms.close();
        vms = new TestVms(new RecorderAddress("127.0.0.1", simulator.port(), false), Duration.ofMillis(1000));
        vms.renewEvery(Duration.ofMillis(400));
        long[] gap = gap(CAMERA);
        long from = gap[0] - 5 * MINUTE_MS;
        long to = from + 10 * MINUTE_MS;
        long started = System.nanoTime();

        // a small queue: the recorder is asked for more only as the route takes it; a route that takes at least
        // 2.7 s for the 13 500 pictures, so that the playback outlives the 1 s token twice whatever the machine
        slowRoute = true;
        startRoute(CAMERA, from, to, "&maxQueuedBytes=262144");
        await().atMost(Duration.ofSeconds(30)).until(() -> ended() || !errors.isEmpty());
        double realTimes = 10 * MINUTE_MS / (double) Duration.ofNanos(System.nanoTime() - started).toMillis();

        List<Exchange> pictures = List.copyOf(received.subList(0, received.size() - 1));
        assertThat(errors).isEmpty();
        assertThat(last().getIn().getHeader(XProtectConstants.PLAYBACK_END)).isEqualTo("TO_REACHED");
        assertThat(last().getIn().getBody(byte[].class)).isEmpty();
        assertThat(last().getProperty(Exchange.BATCH_COMPLETE, Boolean.class)).isTrue();
        assertThat((long) pictures.size()).isEqualTo(simulator.recordedPictures(CAMERA, from, to));
        GenericByteData first = GenericByteData.parse(pictures.get(0).getIn().getBody(byte[].class));
        assertThat(first.keyFrame()).isTrue();
        assertThat(first.pictureTimestamp()).isBetween(from - 2000, from);
        long previous = Long.MIN_VALUE;
        long largestStep = 0;
        for (Exchange e : pictures) {
            assertThat(e.getIn().getHeader(XProtectConstants.CAMERA_ID)).isEqualTo(CAMERA);
            assertThat(e.getIn().getHeader(XProtectConstants.RECEIVE_TIME_NANOS)).isInstanceOf(Long.class);
            long t = GenericByteData.parse(e.getIn().getBody(byte[].class)).pictureTimestamp();
            assertThat(t).isGreaterThan(previous).isLessThan(to);
            largestStep = previous == Long.MIN_VALUE ? 0 : Math.max(largestStep, t - previous);
            previous = t;
        }
        assertThat(largestStep).as("the gap is in the picture times").isGreaterThanOrEqualTo(gap[1] - gap[0]);
        assertThat(realTimes).as("times real time").isGreaterThan(10);
        assertThat(simulator.acceptedConnects(CAMERA)).as("one connection").isOne();
        assertThat(simulator.acceptedConnectUpdates(CAMERA)).as("token renewed on the socket").isPositive();
        assertThat(simulator.maxRequestsQueued()).as("requests in flight").isLessThanOrEqualTo(3);
        assertThat(simulator.protocolViolations()).isZero();
        Thread.sleep(300);
        assertThat(received).as("nothing after the end").hasSize(pictures.size() + 1);
    }

    @Test
    void aRangePastTheNewestRecordingEndsAtTheEndOfTheRecording() throws Exception {
        long now = System.currentTimeMillis();

        startRoute(CAMERA, now - 20_000, now + 3_600_000, "");

        await().atMost(Duration.ofSeconds(20)).until(() -> ended() || !errors.isEmpty());
        assertThat(last().getIn().getHeader(XProtectConstants.PLAYBACK_END)).isEqualTo("END_OF_RECORDING");
        assertThat(received.size()).isBetween(400, 600); // about 20 s at 25 fps
    }

    @Test
    void aMaskedCameraFailsWithThePrivacyMaskMessageAndNoPicture() throws Exception {
        long now = System.currentTimeMillis();

        startRoute(MASKED, now - 600_000, now - 300_000, "");

        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
        assertThat(errors.get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))
                .isInstanceOf(PrivacyMaskException.class).hasMessage(PrivacyMask.message(MASKED));
        assertThat(received).isEmpty();
    }

    @Test
    void theAlarmsRequestListsTheRecordedSequencesOfTheRange() throws Exception {
        long[] gap = gap(CAMERA);
        long from = gap[0] - 30 * MINUTE_MS;
        long to = gap[1] + 30 * MINUTE_MS;
        context = new DefaultCamelContext();
        context.start();
        XProtectComponent component = context.getComponent("xprotect", XProtectComponent.class);

        List<io.camrelay.vms.RecordedSequence> listed = component.alarms(vms, CAMERA, from, to)
                .get(10, java.util.concurrent.TimeUnit.SECONDS);

        List<long[]> recorded = simulator.recordedSequences(CAMERA, from, to);
        assertThat(listed).hasSameSizeAs(recorded);
        for (int i = 0; i < listed.size(); i++) {
            assertThat(listed.get(i).begin().toEpochMilli()).isEqualTo(recorded.get(i)[0]);
            assertThat(listed.get(i).end().toEpochMilli()).isEqualTo(recorded.get(i)[1]);
        }
        assertThat(listed.stream().anyMatch(s -> s.end().toEpochMilli() == gap[0])).isTrue();
        assertThat(simulator.protocolViolations()).isZero();
    }

    @Test
    void aRangeWhoseEndIsNotAfterItsStartIsRefusedNamingTheOptions() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> startRoute(CAMERA, 2000, 1000, "")))
                .rootCause().hasMessageContaining("is not after from");
    }

    private boolean ended() {
        return !received.isEmpty() && last().getIn().getHeader(XProtectConstants.PLAYBACK_END) != null;
    }

    private Exchange last() {
        return received.get(received.size() - 1);
    }

    private long[] gap(String camera) {
        List<long[]> sequences = simulator.recordedSequences(camera, 0, Long.MAX_VALUE / 2);
        for (int i = 1; i < sequences.size(); i++) {
            if (sequences.get(i)[0] > sequences.get(i - 1)[1]) {
                return new long[] {sequences.get(i - 1)[1], sequences.get(i)[0]};
            }
        }
        throw new AssertionError("no gap in the recording");
    }

    private void startRoute(String camera, long from, long to, String options) throws Exception {
        context = new DefaultCamelContext();
        context.getRegistry().bind("vms", vms);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).handled(true).process(errors::add);
                from("xprotect:" + camera + "?mode=playback&bridgeErrorHandler=true&from=" + Instant.ofEpochMilli(from)
                        + "&to=" + to + options).routeId("playback")
                        .process(e -> {
                            received.add(e.copy());
                            if (slowRoute && received.size() % 5 == 0) {
                                Thread.sleep(1);
                            }
                        });
            }
        });
        context.start();
    }
}
