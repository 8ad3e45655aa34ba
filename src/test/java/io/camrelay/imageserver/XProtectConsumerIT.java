package io.camrelay.imageserver;

import io.camrelay.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camrelay.imageserver.session.ImageServerSessionState;
import io.camrelay.media.GenericByteData;
import io.camrelay.media.VideoCodec;
import io.camrelay.simulator.Fault;
import io.camrelay.simulator.ImageServerBackend;
import io.camrelay.simulator.ImageServerSimulator;
import io.camrelay.simulator.SimulatedCamera;
import io.camrelay.simulator.SimulatorClip;
import io.camrelay.vms.RecorderAddress;
import io.camrelay.vms.UnknownCameraException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@code xprotect:} consumer in Camel routes against the simulated ImageServer on 127.0.0.1. */
class XProtectConsumerIT {

    private static final String CAM_A = "11111111-aaaa-4000-8000-000000000001";
    private static final String CAM_B = "22222222-bbbb-4000-8000-000000000002";
    private static final String CAM_HEVC = "33333333-cccc-4000-8000-000000000003";
    private static final String CAM_JPEG = "44444444-dddd-4000-8000-000000000004";
    private static final String FAST = "reconnectInitialDelay=100&reconnectMaxDelay=1000&noDataTimeout=1500"
            + "&sessionListener=#listener";
    private static final long FRAME_MS = 40;

    private final Map<String, SimulatedCamera> cameras = new ConcurrentHashMap<>();
    private final Map<String, List<Frame>> frames = new ConcurrentHashMap<>();
    private final List<String[]> states = new CopyOnWriteArrayList<>();
    private final List<Exchange> errors = new CopyOnWriteArrayList<>();
    private ImageServerSimulator simulator;
    private TestVms vms;
    private CamelContext context;
    private AutoCloseable closeAfter;

    /** One received exchange. */
    record Frame(long arrivalNanos, GenericByteData header, String cameraHeader, Object receiveNanosHeader) {
    }

    @BeforeEach
    void startSimulator() throws Exception {
        for (SimulatedCamera camera : List.of(
                new SimulatedCamera(CAM_A, "Lobby", SimulatorClip.H264_BASELINE, "stream-a"),
                new SimulatedCamera(CAM_B, "Gate", SimulatorClip.H264_BFRAMES, "stream-b"),
                new SimulatedCamera(CAM_HEVC, "Yard", SimulatorClip.H265, "stream-c"),
                new SimulatedCamera(CAM_JPEG, "Old", SimulatorClip.JPEG, "stream-d"))) {
            cameras.put(camera.id(), camera);
        }
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
    void stopAll() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (closeAfter != null) {
            closeAfter.close();
        }
        vms.close();
        simulator.close();
    }

    @Test
    void deliversEveryPictureWithTimestampsAdvancingAcrossTheClipLoop() throws Exception {
        startRoutes(CAM_A);
        // The clip is 6 s (150 pictures): wait for the loop to restart. Every picture arrives: consecutive sequence
        // numbers across the uint16 wrap, picture times one frame apart (media time, not this machine's clock).
        await().atMost(Duration.ofSeconds(15)).until(() -> frames(CAM_A).size() > 160);
        List<Frame> received = frames(CAM_A);
        for (int i = 0; i < received.size(); i++) {
            Frame f = received.get(i);
            assertThat(f.cameraHeader()).isEqualTo(CAM_A);
            assertThat(f.receiveNanosHeader()).isInstanceOf(Long.class);
            assertThat(f.header().codec()).isEqualTo(VideoCodec.H264);
            if (i > 0) {
                Frame prev = received.get(i - 1);
                assertThat(f.header().sequence()).isEqualTo((prev.header().sequence() + 1) & 0xFFFF);
                assertThat(f.header().pictureTimestamp()).isEqualTo(prev.header().pictureTimestamp() + FRAME_MS);
            }
        }
        assertThat(received.get(0).header().keyFrame()).isTrue();
        assertThat(received).as("the uint16 sequence number wrapped (the simulator starts sessions near 65535)")
                .anyMatch(f -> f.header().sequence() == 0);
        assertThat(received.get(150).header().keyFrame()).as("clip loop restarts at a key frame").isTrue();
        assertThat(received.get(150).header().syncTimestamp()).isEqualTo(received.get(150).header().pictureTimestamp());
        assertThat(received.get(151).header().syncTimestamp()).isEqualTo(received.get(150).header().pictureTimestamp());
        XProtectConsumer consumer = consumer(CAM_A);
        assertThat(consumer.getState()).isEqualTo(ImageServerSessionState.STREAMING);
        assertThat(consumer.getHealthCheck().getId()).isEqualTo("consumer:" + CAM_A);
        assertThat(consumer.getHealthCheck().call().getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(consumer.getFramesReceived()).isGreaterThanOrEqualTo(received.size());
        assertThat(consumer.getBytesReceived()).isGreaterThan(0);
        assertThat(consumer.getReconnectCount()).isZero();

        context.stop();

        assertThat(simulator.stopsReceived(CAM_A)).as("stop sent on shutdown").isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.openSessions(CAM_A) == 0);
    }

    @Test
    void sessionWhoseTokenExpiresWithoutRenewalIsClosedByTheRecorderAndReconnects() {
        vms.close();
        vms = new TestVms(new RecorderAddress("127.0.0.1", simulator.port(), false), Duration.ofMillis(1500));
        startRoutes(CAM_A);

        await().atMost(Duration.ofSeconds(15)).until(() -> consumer(CAM_A).getReconnectCount() >= 1
                && consumer(CAM_A).getState() == ImageServerSessionState.STREAMING);

        assertThat(simulator.acceptedConnects(CAM_A)).isGreaterThanOrEqualTo(2);
        assertThat(consumer(CAM_A).getLastError()).contains("closed the connection");
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"DROP", "STALL", "GARBAGE", "TRUNCATED_FRAME"})
    void reconnectsAfterAFaultWhileTheOtherCameraKeepsStreaming(Fault fault) {
        startRoutes(CAM_A, CAM_B);
        await().atMost(Duration.ofSeconds(10)).until(() -> frames(CAM_A).size() > 10 && frames(CAM_B).size() > 10);

        simulator.inject(CAM_A, fault);

        await().atMost(Duration.ofSeconds(10)).until(() -> stateSeen(CAM_A, ImageServerSessionState.RECONNECTING));
        int afterFault = frames(CAM_A).size();
        int otherBefore = frames(CAM_B).size();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer(CAM_A).getState()
                == ImageServerSessionState.STREAMING && frames(CAM_A).size() > afterFault + 25);
        // the other camera's pictures keep coming meanwhile
        await().atMost(Duration.ofSeconds(3)).until(() -> frames(CAM_B).size() > otherBefore + 25);
        assertThat(consumer(CAM_B).getReconnectCount()).isZero();
        assertThat(consumer(CAM_A).getReconnectCount()).isGreaterThanOrEqualTo(1);
        assertThat(simulator.acceptedConnects(CAM_A)).isGreaterThanOrEqualTo(2);
        assertThat(simulator.acceptedConnects(CAM_B)).isEqualTo(1);
    }

    @Test
    void aCameraDisconnectedFromItsRecorderIsReportedAsSuchPastTheNoDataTimeoutAndResumesOnTheSameSocket()
            throws Exception {
        cameras.put(CAM_A, cameras.get(CAM_A).withRecorder(io.camrelay.simulator.RecorderBehaviour.REAL
                .withLivePackageInterval(Duration.ofMillis(500))));
        startRoutes(CAM_A);
        await().atMost(Duration.ofSeconds(10)).until(() -> frames(CAM_A).size() > 5);

        simulator.setCameraConnected(CAM_A, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> consumer(CAM_A).getState()
                == ImageServerSessionState.CAMERA_DISCONNECTED);
        Thread.sleep(3000); // twice the no-data timeout of 1.5 s
        String[] reported = states.get(states.size() - 1);
        XProtectConsumer consumer = consumer(CAM_A);
        assertThat(consumer.getState()).isEqualTo(ImageServerSessionState.CAMERA_DISCONNECTED);
        assertThat(reported[1]).isEqualTo("CAMERA_DISCONNECTED");
        assertThat(reported[2]).startsWith("camera " + CAM_A + " is disconnected from its recorder (livepackage "
                + "status item 5 = 1)");
        assertThat(consumer.getHealthCheck().call().getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(states).noneMatch(s -> s[2].contains("no picture from recorder"));
        int before = frames(CAM_A).size();

        simulator.setCameraConnected(CAM_A, true);

        await().atMost(Duration.ofSeconds(5)).until(() -> consumer.getState() == ImageServerSessionState.STREAMING
                && frames(CAM_A).size() > before + 5);
        assertThat(frames(CAM_A).get(before).header().keyFrame()).isTrue();
        assertThat(simulator.acceptedConnects(CAM_A)).as("no reconnect needed").isOne();
    }

    @Test
    void refusedTokenIsReportedToTheVmsAndTheSessionRecoversWithoutLeakingIt() {
        LogCapture log = LogCapture.atDebug();
        closeAfter = log;
        vms.renewEvery(Duration.ofMillis(500));
        startRoutes(CAM_A);
        await().atMost(Duration.ofSeconds(10)).until(() -> frames(CAM_A).size() > 5);
        simulator.inject(CAM_A, Fault.WRONG_TOKEN);
        simulator.inject(CAM_A, Fault.DROP);

        // the token the reconnect offers: the one of then, which a renewal every 500 ms may have replaced
        await().atMost(Duration.ofSeconds(10)).until(() -> !vms.rejected.isEmpty());
        int afterRefusal = frames(CAM_A).size();
        // the pre-buffered GOP makes the first pictures come at once: wait for a renewal on the new socket too
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer(CAM_A).getState()
                == ImageServerSessionState.STREAMING && frames(CAM_A).size() > afterRefusal + 10
                && log.lines().stream().anyMatch(l -> l.contains("sending connectupdate")));
        assertThat(states).anyMatch(s -> s[2].contains("Security token invalid"));
        assertThat(states).noneMatch(s -> s[2].contains("secret"));
        assertThat(consumer(CAM_A).getLastError()).doesNotContain("secret");
        assertThat(log.lines()).as("log lines").anyMatch(l -> l.contains("sending connectupdate"))
                .anyMatch(l -> l.contains("Security token invalid")).noneMatch(l -> l.contains("secret"));
    }

    @Test
    void unknownCameraIsAClearErrorNamingTheCamera() {
        String missing = "99999999-0000-4000-8000-00000000dead";
        startRoutes(missing);

        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());

        Exception error = errors.get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(error).isInstanceOf(UnknownCameraException.class).hasMessageContaining(missing)
                .hasMessageContaining("Unknown device");
        assertThat(consumer(missing).getState()).isEqualTo(ImageServerSessionState.ERROR);
        assertThat(consumer(missing).getHealthCheck().call().getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(frames(missing)).isEmpty();
    }

    @Test
    void cameraTheVmsDoesNotKnowIsTheVmsErrorAndNoConnectionIsMade() {
        vms.unknownCameras.add(CAM_A);
        startRoutes(CAM_A);

        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());

        Exception error = errors.get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(error).isInstanceOf(UnknownCameraException.class).hasMessageContaining(CAM_A);
        assertThat(consumer(CAM_A).getState()).isEqualTo(ImageServerSessionState.ERROR);
        assertThat(consumer(CAM_A).getLastError()).isEqualTo(error.getMessage());
        assertThat(simulator.acceptedConnects(CAM_A)).isZero();
    }

    @Test
    void jpegCameraIsRefusedWithTheFix() {
        startRoutes(CAM_JPEG);

        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());

        Exception error = errors.get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(error).isInstanceOf(UnsupportedPayloadException.class).hasMessageContaining(CAM_JPEG)
                .hasMessageContaining("JPEG").hasMessageContaining(
                        "set the camera's stream to H.264 in the Management Client and make sure CamRelay is not "
                                + "asking for JPEG");
        assertThat(consumer(CAM_JPEG).getState()).isEqualTo(ImageServerSessionState.ERROR);
        assertThat(frames(CAM_JPEG)).isEmpty();
    }

    @Test
    void hevcCameraIsPassedOnAsGenericByteDataWithItsCodec() {
        startRoutes(CAM_HEVC);

        await().atMost(Duration.ofSeconds(10)).until(() -> frames(CAM_HEVC).size() > 5);

        assertThat(frames(CAM_HEVC)).allMatch(f -> f.header().codecId() == 0x000E);
        assertThat(frames(CAM_HEVC).get(0).header().keyFrame()).isTrue();
    }

    @Test
    void unreachableRecorderAtStartDoesNotFailTheRouteButReconnects() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        vms.close();
        vms = new TestVms(new RecorderAddress("127.0.0.1", closedPort, false), Duration.ofMinutes(10));

        startRoutes(CAM_A);

        assertThat(context.getRouteController().getRouteStatus(CAM_A).isStarted()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer(CAM_A).getReconnectCount() >= 2);
        assertThat(consumer(CAM_A).getState()).isEqualTo(ImageServerSessionState.RECONNECTING);
        assertThat(consumer(CAM_A).getLastError()).contains("cannot connect to recorder tcp://127.0.0.1:" + closedPort);
    }

    @Test
    void unresolvableRecorderHostIsReportedAndRetried() {
        vms.close();
        vms = new TestVms(new RecorderAddress("no-such-recorder.invalid", 7563, false), Duration.ofMinutes(10));

        startRoutes(CAM_A);

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer(CAM_A).getReconnectCount() >= 2);
        assertThat(consumer(CAM_A).getState()).isEqualTo(ImageServerSessionState.RECONNECTING);
        assertThat(consumer(CAM_A).getLastError()).contains("cannot resolve recorder host 'no-such-recorder.invalid'");
    }

    private void startRoutes(String... cameraIds) {
        try {
            context = new DefaultCamelContext();
            context.getRegistry().bind("vms", vms);
            context.getRegistry().bind("listener", (XProtectSessionListener) (consumer, state, reason) ->
                    states.add(new String[] {consumer.getCameraId(), state.name(), reason == null ? "" : reason}));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(Exception.class).handled(true).process(errors::add);
                    for (String cameraId : cameraIds) {
                        frames.put(cameraId, new CopyOnWriteArrayList<>());
                        from("xprotect:" + cameraId + "?bridgeErrorHandler=true&" + FAST).routeId(cameraId)
                                .process(exchange -> frames.get(cameraId).add(new Frame(System.nanoTime(),
                                        GenericByteData.parse(exchange.getIn().getBody(byte[].class)),
                                        exchange.getIn().getHeader(XProtectConstants.CAMERA_ID, String.class),
                                        exchange.getIn().getHeader(XProtectConstants.RECEIVE_TIME_NANOS))));
                    }
                }
            });
            context.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Frame> frames(String cameraId) {
        return new ArrayList<>(frames.getOrDefault(cameraId, List.of()));
    }

    private XProtectConsumer consumer(String cameraId) {
        return (XProtectConsumer) context.getRoute(cameraId).getConsumer();
    }

    private boolean stateSeen(String cameraId, ImageServerSessionState state) {
        return states.stream().anyMatch(s -> s[0].equals(cameraId) && s[1].equals(state.name()));
    }
}
