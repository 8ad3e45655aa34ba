package io.camrelay.imageserver.session;

import io.camrelay.testing.ManualLoop;
import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.imageserver.codec.ImageServerLimits;
import io.camrelay.imageserver.codec.ImageServerRequests;
import io.camrelay.media.GenericByteData;
import io.camrelay.media.VideoCodec;
import io.camrelay.support.Backoff;
import io.camrelay.testing.LogCapture;
import io.camrelay.vms.RecorderAddress;
import io.camrelay.vms.UnknownCameraException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The live session on EmbeddedChannels, a fake VMS and a frozen event loop whose time the test moves. */
class ImageServerSessionTest {

    private static final String CAMERA = "11111111-aaaa-4000-8000-000000000001";
    private static final String AT = "recorder tcp://127.0.0.1:7563";
    private static final long INITIAL_MS = 100;
    private static final long MAX_MS = 10_000;
    private static final long NO_DATA_MS = 2_000;
    /** The back-off's first delay lies within initial * (1 ± jitter). */
    private static final long FIRST_RETRY_EARLIEST_MS = Math.round(INITIAL_MS * (1 - Backoff.JITTER));
    private static final long FIRST_RETRY_LATEST_MS = Math.round(INITIAL_MS * (1 + Backoff.JITTER));
    private static final SessionSettings SETTINGS = new SessionSettings(CAMERA, null, 1000, NO_DATA_MS, INITIAL_MS,
            MAX_MS, ImageServerLimits.DEFAULTS, false);
    private static final byte[] PACKET = GenericByteData.encode(VideoCodec.H264.id(), 1, true, 10, 10,
            new byte[] {0, 0, 0, 1, 0x65, 0x11});
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};

    private final ManualLoop loop = new ManualLoop();
    private final FakeVms vms = new FakeVms(new RecorderAddress("127.0.0.1", 7563, false));
    private final FakeRecorder recorder = new FakeRecorder();
    private final Recording events = new Recording();
    private final ImageServerSession session = new ImageServerSession(SETTINGS, vms, loop.loop(), loop.blocking(),
            events, recorder, loop.clock());

    @AfterEach
    void releaseSockets() {
        recorder.close();
        loop.close();
    }

    @Test
    void sendsLiveOnceTheRecorderAcceptsConnect() {
        startAndAccept();

        assertThat(recorder.nextRequest()).isEqualTo(ImageServerRequests.live(1));
        assertThat(session.state()).isEqualTo(ImageServerSessionState.STARTING);
    }

    @Test
    void passesEachVideoPacketOnCountsItAndIsStreamingFromTheFirst() {
        startStreaming();

        recorder.picture(PACKET);

        assertThat(events.pictures).hasSize(2).allSatisfy(p -> assertThat(p).isEqualTo(PACKET));
        assertThat(session.picturesReceived()).isEqualTo(2);
        assertThat(session.bytesReceived()).isEqualTo(2L * PACKET.length);
        assertThat(events.states).containsExactly("STARTING", "STREAMING");
    }

    @Test
    void refusedTokenIsReportedToTheVmsAndTheSessionReconnectsAfterTheBackOff() {
        session.start();
        loop.run();
        recorder.nextRequest();

        recorder.reply("connect", false, "Security token invalid");
        loop.run();

        assertThat(vms.rejected).containsExactly("token-1");
        assertThat(session.state()).isEqualTo(ImageServerSessionState.RECONNECTING);
        assertThat(session.lastError()).isEqualTo(AT + " refused the VMS token (Security token invalid); logging in "
                + "again");
        loop.advance(FIRST_RETRY_EARLIEST_MS - 1);
        assertThat(recorder.dials()).isOne();
        loop.advance(FIRST_RETRY_LATEST_MS - FIRST_RETRY_EARLIEST_MS + 1);
        assertThat(recorder.dials()).isEqualTo(2);
        assertThat(FakeRecorder.token(recorder.nextRequest())).isEqualTo("token-2");
    }

    @Test
    void unknownDeviceIsEscalatedAndRetriedOnlyAfterTheLongestBackOff() {
        session.start();
        loop.run();

        recorder.reply("connect", false, "Unknown device");
        loop.run();

        assertThat(events.problems).containsExactly(SessionProblem.UNKNOWN_DEVICE);
        assertThat(events.problemCause).isInstanceOf(UnknownCameraException.class).hasMessageContaining(CAMERA);
        assertThat(session.state()).isEqualTo(ImageServerSessionState.ERROR);
        loop.advance(MAX_MS - 1);
        assertThat(recorder.dials()).isOne();
        loop.advance(1);
        assertThat(recorder.dials()).isEqualTo(2);
    }

    @Test
    void renewalWhileStreamingIsOneConnectUpdateOnTheSameSocketWithoutReconnecting() {
        startStreaming();
        recorder.methods();

        vms.renew();
        loop.run();
        String update = recorder.nextRequest();
        recorder.reply("connectupdate", true, null);
        recorder.picture(PACKET);

        assertThat(FakeRecorder.method(update)).isEqualTo("connectupdate");
        assertThat(FakeRecorder.token(update)).isEqualTo("token-2");
        assertThat(recorder.methods()).isEmpty();
        assertThat(recorder.dials()).isOne();
        assertThat(session.reconnectCount()).isZero();
        assertThat(session.state()).isEqualTo(ImageServerSessionState.STREAMING);
    }

    @Test
    void renewalBeforeTheConnectReplyGoesOutRightAfterIt() {
        session.start();
        loop.run();
        recorder.nextRequest();

        vms.renew();
        loop.run();
        assertThat(recorder.nextRequest()).isNull();
        recorder.acceptConnect();

        assertThat(FakeRecorder.method(recorder.nextRequest())).isEqualTo("live");
        assertThat(FakeRecorder.token(recorder.nextRequest())).isEqualTo("token-2");
    }

    @Test
    void noPictureForTheNoDataTimeoutLosesTheSessionAndReconnects() {
        startStreaming();

        loop.advance(NO_DATA_MS - 1);
        assertThat(session.state()).isEqualTo(ImageServerSessionState.STREAMING);
        loop.advance(1);

        assertThat(session.state()).isEqualTo(ImageServerSessionState.RECONNECTING);
        assertThat(session.lastError()).isEqualTo("no picture from " + AT + " for " + NO_DATA_MS + " ms (limit "
                + NO_DATA_MS + " ms)");
        assertThat(recorder.socket().isOpen()).isFalse();
        loop.advance(FIRST_RETRY_LATEST_MS);
        assertThat(recorder.dials()).isEqualTo(2);
    }

    @Test
    void aRecorderThatNeverAnswersConnectIsLostAfterTheNoDataTimeout() {
        session.start();
        loop.run();

        loop.advance(NO_DATA_MS);

        assertThat(session.state()).isEqualTo(ImageServerSessionState.RECONNECTING);
        assertThat(session.lastError()).startsWith("no picture from " + AT);
    }

    private static final String DISCONNECTED = "camera " + CAMERA + " is disconnected from its recorder "
            + "(livepackage status item 5 = 1): the recorder has no pictures of it; check the camera's power and "
            + "network, and its state in the Management Client; CamRelay resumes when the recorder has pictures again";

    @Test
    void aCameraTheRecorderReportsDisconnectedIsReportedAsSuchAndWaitedForOnTheOpenSocket() {
        startStreaming();

        recorder.livePackage(true);

        assertThat(session.state()).isEqualTo(ImageServerSessionState.CAMERA_DISCONNECTED);
        assertThat(events.states).last().isEqualTo("CAMERA_DISCONNECTED: " + DISCONNECTED);
        assertThat(session.lastError()).isEqualTo(DISCONNECTED);
        assertThat(recorder.socket().isOpen()).isTrue();
    }

    @Test
    void itsKeepalivesHoldOffTheNoDataTimeoutAndItsPicturesResumeTheStream() {
        startStreaming();
        recorder.livePackage(true);

        for (int i = 0; i < 3; i++) {
            loop.advance(NO_DATA_MS - 1);
            recorder.livePackage(true);
        }
        assertThat(session.state()).isEqualTo(ImageServerSessionState.CAMERA_DISCONNECTED);
        recorder.picture(PACKET);

        assertThat(session.state()).isEqualTo(ImageServerSessionState.STREAMING);
        assertThat(recorder.dials()).isOne();
        assertThat(session.reconnectCount()).isZero();
    }

    @Test
    void aCameraStillAwayWhenTheRecorderFallsSilentIsLostWithThatReasonNotAGenericTimeout() {
        try (LogCapture log = LogCapture.capture()) {
            startStreaming();
            recorder.livePackage(true);

            recorder.livePackage(false);
            loop.advance(NO_DATA_MS);

            assertThat(session.state()).isEqualTo(ImageServerSessionState.RECONNECTING);
            assertThat(events.states).last().isEqualTo("RECONNECTING: " + DISCONNECTED);
            assertThat(log.count("WARN", "disconnected from its recorder")).as("warned once per outage").isOne();
            loop.advance(FIRST_RETRY_LATEST_MS);
            startAndAcceptAgain();
            loop.advance(NO_DATA_MS);
            assertThat(session.lastError()).isEqualTo(DISCONNECTED);
        }
    }

    @Test
    void livePackageWithTheCameraConnectedChangesNothing() {
        startStreaming();

        recorder.livePackage(false);

        assertThat(session.state()).isEqualTo(ImageServerSessionState.STREAMING);
        assertThat(recorder.socket().isOpen()).isTrue();
    }

    @Test
    void jpegPicturesAreAnUnsupportedPayloadProblem() {
        startAndAccept();

        recorder.picture(JPEG);

        assertThat(events.problems).containsExactly(SessionProblem.UNSUPPORTED_PAYLOAD);
        assertThat(session.lastError()).isEqualTo("camera " + CAMERA + " sends JPEG pictures, not H.264 video: set "
                + "the camera's stream to H.264 in the Management Client and make sure CamRelay is not asking for JPEG "
                + "(alwaysstdjpeg=no)");
        assertThat(session.state()).isEqualTo(ImageServerSessionState.ERROR);
        assertThat(events.pictures).isEmpty();
        assertThat(recorder.socket().isOpen()).isFalse();
    }

    @Test
    void aCameraMaskedFromTheStartIsAPrivacyMaskProblemAndNoPictureIsPassedOn() {
        startAndAccept();

        recorder.picture(PACKET, "grid;8x6;00ff00000000");

        assertThat(events.problems).containsExactly(SessionProblem.PRIVACY_MASK);
        assertThat(session.lastError()).isEqualTo(PrivacyMask.message(CAMERA)).startsWith("camera " + CAMERA
                + " has a privacy mask in XProtect").contains("remove the privacy mask in the Management Client");
        assertThat(session.state()).isEqualTo(ImageServerSessionState.ERROR);
        assertThat(events.pictures).isEmpty();
        assertThat(recorder.socket().isOpen()).isFalse();
    }

    @Test
    void aMaskAddedWhileStreamingStopsTheSessionBeforeThatPictureAndRetriesOnlyAfterTheLongestBackOff() {
        startStreaming();
        recorder.picture(PACKET, "none");
        recorder.picture(PACKET, "None");

        recorder.picture(PACKET, "grid;8x6;00ff00000000");
        loop.run();

        assertThat(events.pictures).hasSize(3);
        assertThat(events.problems).containsExactly(SessionProblem.PRIVACY_MASK);
        assertThat(events.states).last().isEqualTo("ERROR: " + PrivacyMask.message(CAMERA));
        assertThat(recorder.socket().isOpen()).isFalse();
        loop.advance(MAX_MS - 1);
        assertThat(recorder.dials()).isOne();
        loop.advance(1);
        assertThat(recorder.dials()).isEqualTo(2);
    }

    @Test
    void aProblemIsLeftToTheOwnerToLog() {
        try (LogCapture log = LogCapture.capture()) {
            startAndAccept();

            recorder.picture(PACKET, "grid");

            assertThat(log.lines()).noneMatch(line -> line.startsWith("ERROR") || line.startsWith("WARN"));
        }
    }

    @Test
    void aPacketWhoseLengthDisagreesWithItsBodyIsALoss() {
        startAndAccept();

        recorder.picture(Arrays.copyOf(PACKET, PACKET.length + 1));

        assertThat(session.state()).isEqualTo(ImageServerSessionState.RECONNECTING);
        assertThat(session.lastError()).startsWith(AT + " sent a GenericByteData packet whose total length");
        assertThat(events.problems).isEmpty();
    }

    @Test
    void stopWhileConnectedWritesStopThenCloses() {
        startStreaming();
        recorder.methods();

        CompletableFuture<Void> stopped = session.stop();
        loop.run();

        assertThat(FakeRecorder.method(recorder.nextRequest())).isEqualTo("stop");
        assertThat(recorder.socket().isOpen()).isFalse();
        assertThat(stopped).isCompleted();
        assertThat(session.state()).isEqualTo(ImageServerSessionState.STOPPED);
    }

    @Test
    void stopWhileResolvingMakesNoConnection() {
        session.start();
        loop.runLoop();

        CompletableFuture<Void> stopped = session.stop();
        loop.runLoop();
        assertThat(stopped).isCompleted();
        loop.run();

        assertThat(recorder.dials()).isZero();
        assertThat(vms.listeners).isEmpty();
        assertThat(session.state()).isEqualTo(ImageServerSessionState.STOPPED);
    }

    @Test
    void warnsOncePerOutageAndLogsTheFailedRetriesAtDebug() {
        try (LogCapture log = LogCapture.capture()) {
            startStreaming();

            recorder.socket().close();
            loop.advance(FIRST_RETRY_LATEST_MS);
            recorder.socket().close();

            assertThat(log.count("WARN", "lost, reconnecting")).isOne();
            assertThat(log.lines()).contains("WARN " + ImageServerSession.class.getName() + " - ImageServer session "
                    + "of camera " + CAMERA + " lost, reconnecting: " + AT + " closed the connection");
            assertThat(session.reconnectCount()).isEqualTo(2);
        }
    }

    @Test
    void picturesWhileStreamingLogNothing() {
        startStreaming();
        try (LogCapture log = LogCapture.atDebug()) {
            for (int i = 0; i < 50; i++) {
                recorder.picture(PACKET);
            }

            assertThat(log.lines()).isEmpty();
        }
        assertThat(session.picturesReceived()).isEqualTo(51);
    }

    private void startAndAccept() {
        session.start();
        loop.run();
        assertThat(FakeRecorder.method(recorder.nextRequest())).isEqualTo("connect");
        recorder.acceptConnect();
    }

    /** The reconnect after a loss: the recorder accepts the new socket's connect. */
    private void startAndAcceptAgain() {
        loop.run();
        assertThat(FakeRecorder.method(recorder.nextRequest())).isEqualTo("connect");
        recorder.acceptConnect();
    }

    private void startStreaming() {
        startAndAccept();
        recorder.picture(PACKET);
        assertThat(session.state()).isEqualTo(ImageServerSessionState.STREAMING);
    }

    /** What the session told its owner. */
    private static final class Recording implements SessionEvents {
        final List<byte[]> pictures = new ArrayList<>();
        final List<String> states = new ArrayList<>();
        final List<SessionProblem> problems = new ArrayList<>();
        RuntimeException problemCause;

        @Override
        public void picture(byte[] packet, long receiveNanos) {
            pictures.add(packet);
        }

        @Override
        public void stateChanged(ImageServerSessionState state, String reason) {
            states.add(reason == null ? state.name() : state + ": " + reason);
        }

        @Override
        public void problem(SessionProblem problem, String message, RuntimeException cause) {
            problems.add(problem);
            problemCause = cause;
        }
    }
}
