package io.camrelay.imageserver.session;

import io.camrelay.testing.ManualLoop;
import io.camrelay.testing.StalledWrites;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.imageserver.codec.ImageResponse;
import io.camrelay.imageserver.codec.ImageServerLimits;
import io.camrelay.imageserver.codec.ImageServerRequests;
import io.camrelay.imageserver.codec.XmlMessage;
import io.camrelay.vms.RecorderAddress;
import io.camrelay.vms.UnknownCameraException;
import io.netty.handler.ssl.SslHandler;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RecorderConnection} on EmbeddedChannels: connect, its reply, connectupdate, requests, close. */
class RecorderConnectionTest {

    private static final String CAMERA = "11111111-aaaa-4000-8000-000000000001";
    private static final String STREAM = "22222222-bbbb-4000-8000-000000000002";
    private static final RecorderAddress RECORDER = new RecorderAddress("127.0.0.1", 7563, false);
    private static final String AT = "recorder tcp://127.0.0.1:7563";
    private static final SessionSettings SETTINGS = new SessionSettings(CAMERA, STREAM, 1000, 2000, 100, 10_000,
            ImageServerLimits.DEFAULTS, false);

    private final ManualLoop loop = new ManualLoop();
    private final FakeRecorder recorder = new FakeRecorder();
    private final List<String> events = new ArrayList<>();
    private FakeVms vms = new FakeVms(RECORDER);
    private RuntimeException problemCause;
    private RecorderConnection connection;

    @AfterEach
    void releaseSockets() {
        recorder.close();
        loop.close();
    }

    @Test
    void sendsConnectWithTheCameraStreamAndVmsTokenOnceTheSocketIsOpen() {
        open();

        assertThat(recorder.targets).containsExactly(new InetSocketAddress("127.0.0.1", 7563));
        assertThat(recorder.nextRequest()).isEqualTo(ImageServerRequests.connect(0, CAMERA, STREAM, "token-1"));
        assertThat(events).containsExactly("connecting tcp://127.0.0.1:7563");
    }

    @Test
    void opensTlsWhenTheRecorderUriIsHttps() {
        vms = new FakeVms(new RecorderAddress("127.0.0.1", 7563, true));

        open();

        assertThat(recorder.socket().pipeline().first()).isInstanceOf(SslHandler.class);
        assertThat(events).containsExactly("connecting tls://127.0.0.1:7563");
    }

    @Test
    void reportsConnectedOnlyOnceTheRecorderAcceptsConnect() {
        open();
        assertThat(events).doesNotContain("connected");

        recorder.acceptConnect();

        assertThat(events).containsExactly("connecting tcp://127.0.0.1:7563", "connected");
    }

    @Test
    void writesTheOwnersRequestsWithoutWaitingForRepliesNumberedInSendingOrder() {
        openAndAccept();

        connection.send(RecorderConnectionTest::next);
        connection.send(RecorderConnectionTest::next);
        connection.send(RecorderConnectionTest::next);

        assertThat(recorder.nextRequest()).isEqualTo(next(1));
        assertThat(recorder.nextRequest()).isEqualTo(next(2));
        assertThat(recorder.nextRequest()).isEqualTo(next(3));
    }

    @Test
    void refusesARequestBeforeTheRecorderAcceptedConnect() {
        open();

        assertThatThrownBy(() -> connection.send(ImageServerRequests::live)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(CAMERA).hasMessageContaining("has not accepted yet");
    }

    @Test
    void refusedTokenIsReportedToTheVmsAndLosesTheConnection() {
        open();
        recorder.nextRequest();

        recorder.reply("connect", false, "Security token invalid");
        loop.run();

        assertThat(vms.rejected).containsExactly("token-1");
        assertThat(events).last().isEqualTo("lost: " + AT + " refused the VMS token (Security token invalid); "
                + "logging in again");
        assertThat(recorder.socket().isOpen()).isFalse();
    }

    @Test
    void unknownDeviceIsAProblemNamingTheCamera() {
        open();

        recorder.reply("connect", false, "Unknown device");

        assertThat(events).last().asString().startsWith("problem UNKNOWN_DEVICE: XProtect has no camera '" + CAMERA
                + "' (" + AT + " answered 'Unknown device'; is the camera enabled on it?)");
        assertThat(problemCause).isInstanceOf(UnknownCameraException.class);
        assertThat(recorder.socket().isOpen()).isFalse();
    }

    @Test
    void anyOtherConnectRefusalIsALossQuotingTheReason() {
        open();

        recorder.reply("connect", false, "Camera busy");

        assertThat(events).last().isEqualTo("lost: " + AT + " refused connect for camera " + CAMERA
                + " (Camera busy)");
        assertThat(vms.rejected).isEmpty();
    }

    @Test
    void sendsOneConnectUpdateWithTheRenewedTokenOnTheOpenSocket() {
        openAndAccept();

        vms.renew();
        loop.run();

        assertThat(recorder.nextRequest()).isEqualTo(ImageServerRequests.connectUpdate(1, CAMERA, "token-2"));
        assertThat(recorder.nextRequest()).isNull();
        assertThat(recorder.dials()).isOne();
        assertThat(recorder.socket().isOpen()).isTrue();
    }

    @Test
    void holdsARenewalUntilTheConnectReplyAndSendsItRightAfter() {
        open();
        recorder.nextRequest();

        vms.renew();
        loop.run();
        assertThat(recorder.nextRequest()).isNull();
        recorder.acceptConnect();

        assertThat(recorder.nextRequest()).isEqualTo(ImageServerRequests.connectUpdate(1, CAMERA, "token-2"));
    }

    @Test
    void refusedConnectUpdateLosesTheConnection() {
        openAndAccept();
        vms.renew();
        loop.run();

        recorder.reply("connectupdate", false, "Security token invalid");

        assertThat(events).last().isEqualTo("lost: " + AT + " refused connectupdate with the renewed token "
                + "(Security token invalid)");
        assertThat(recorder.socket().isOpen()).isFalse();
    }

    @Test
    void keepsTheConnectUpdateReplyToItselfSoTheOwnersRepliesStayInOrder() {
        openAndAccept();
        vms.renew();
        loop.run();

        recorder.picture(new byte[3]);
        recorder.reply("connectupdate", true, null);
        recorder.picture(new byte[4]);

        assertThat(events).containsExactly("connecting tcp://127.0.0.1:7563", "connected", "image 3 bytes",
                "image 4 bytes");
    }

    @Test
    void passesPicturesAndDocumentsOnInWireOrder() {
        openAndAccept();

        recorder.picture(new byte[3]);
        recorder.livePackage(false);
        recorder.reply("live", true, null);
        recorder.picture(new byte[0]);

        assertThat(events).containsExactly("connecting tcp://127.0.0.1:7563", "connected", "image 3 bytes",
                "document livepackage", "document methodresponse live", "image 0 bytes");
    }

    @Test
    void aResponseWithAPrivacyMaskIsAProblemAndIsNotPassedOn() {
        openAndAccept();

        recorder.picture(new byte[] {1, 2, 3}, "grid;16x9;ff");

        assertThat(events).last().isEqualTo("problem PRIVACY_MASK: " + PrivacyMask.message(CAMERA));
        assertThat(events).noneMatch(e -> e.startsWith("image"));
        assertThat(recorder.socket().isOpen()).isFalse();
    }

    @Test
    void aRefusedRequestOfTheOwnerIsALossQuotingTheReason() {
        openAndAccept();

        recorder.reply("live", false, "Not connected");

        assertThat(events).last().isEqualTo("lost: " + AT + " refused live (Not connected)");
    }

    @Test
    void aRefusalWithoutAReasonSaysSo() {
        openAndAccept();

        recorder.reply("live", false, null);

        assertThat(events).last().isEqualTo("lost: " + AT + " refused live (no reason given)");
    }

    @Test
    void theRecorderClosingTheSocketIsALoss() {
        openAndAccept();

        recorder.socket().close();

        assertThat(events).last().isEqualTo("lost: " + AT + " closed the connection");
    }

    @Test
    void aFramingErrorIsALossNamingTheRecorder() {
        openAndAccept();

        recorder.push("X");

        assertThat(events).last().asString().startsWith("lost: ImageServer session with " + AT
                + " failed: unexpected first byte 0x58");
        assertThat(events).filteredOn(e -> e.startsWith("lost")).hasSize(1);
        assertThat(recorder.socket().isOpen()).isFalse();
    }

    @Test
    void aCameraTheVmsDoesNotKnowIsAProblemAndNothingIsDialled() {
        vms.lookUpFailure = new UnknownCameraException(CAMERA, null);

        open();

        assertThat(events).containsExactly("problem UNKNOWN_DEVICE: " + vms.lookUpFailure.getMessage());
        assertThat(recorder.dials()).isZero();
    }

    @Test
    void aFailedVmsLookUpIsALoss() {
        vms.lookUpFailure = new IllegalStateException("management server unreachable");

        open();

        assertThat(events).containsExactly("lost: cannot look up camera " + CAMERA
                + " in XProtect: management server unreachable");
        assertThat(recorder.dials()).isZero();
    }

    @Test
    void aFailedDialIsALossNamingTheRecorder() {
        recorder.refuseNext = new ConnectException("Connection refused");

        open();

        assertThat(events).last().isEqualTo("lost: cannot connect to recorder tcp://127.0.0.1:7563: Connection refused");
    }

    @Test
    void anUnreachableRecorderIsReportedSoTheNextAttemptAsksTheVmsWhereTheCameraIs() {
        // Given a recorder address (cached by the VMS session) that refuses connections, as after a fail-over
        recorder.refuseNext = new ConnectException("Connection refused");

        // When the connection fails
        open();

        // Then the VMS session is told to forget the camera's recorder, and only then
        assertThat(vms.failedRecorders).containsExactly(CAMERA);
    }

    @Test
    void aRecorderThatAnswersIsNotReportedAsFailed() {
        openAndAccept();
        recorder.socket().close();
        loop.run();

        assertThat(vms.failedRecorders).isEmpty();
    }

    @Test
    void closeAfterConnectWritesTheFarewellThenClosesTheSocket() {
        openAndAccept();

        CompletableFuture<Void> closed = connection.close(ImageServerRequests::stop);

        assertThat(recorder.nextRequest()).isEqualTo(ImageServerRequests.stop(1));
        assertThat(recorder.socket().isOpen()).isFalse();
        assertThat(closed).isCompleted();
    }

    @Test
    void closeClosesTheSocketAfterTheGraceWhenTheRecorderStoppedReading() {
        // Given an accepted connection whose recorder stopped reading: the farewell can never be flushed
        openAndAccept();
        StalledWrites peer = new StalledWrites();
        recorder.socket().pipeline().addFirst(peer);
        peer.stall();

        // When it is closed with the farewell (stop)
        CompletableFuture<Void> closed = connection.close(ImageServerRequests::stop);
        assertThat(peer.held()).as("the stuck farewell").isEqualTo(1);
        loop.advance(RecorderConnection.FAREWELL_GRACE_MS - 1);
        assertThat(recorder.socket().isOpen()).as("open during the grace").isTrue();

        // Then after the grace the socket is closed anyway
        loop.advance(1);
        assertThat(recorder.socket().isOpen()).as("open after the grace").isFalse();
        assertThat(closed).isCompleted();
        assertThat(events).containsExactly("connecting tcp://127.0.0.1:7563", "connected");
    }

    @Test
    void closeBeforeTheConnectReplyWritesNoFarewell() {
        open();
        recorder.nextRequest();

        connection.close(ImageServerRequests::stop);

        assertThat(recorder.nextRequest()).isNull();
        assertThat(recorder.socket().isOpen()).isFalse();
    }

    @Test
    void theSocketClosingAfterItsOwnerClosedItIsNoLoss() {
        openAndAccept();

        connection.close();
        loop.run();

        assertThat(events).containsExactly("connecting tcp://127.0.0.1:7563", "connected");
    }

    @Test
    void closingDuringTheVmsLookUpDialsNothingAndReportsNothing() {
        connection().open();

        CompletableFuture<Void> closed = connection.close();
        loop.run();

        assertThat(closed).isCompleted();
        assertThat(recorder.dials()).isZero();
        assertThat(events).isEmpty();
    }

    @Test
    void closeStopsListeningForRenewals() {
        open();
        assertThat(vms.listeners).hasSize(1);

        connection.close();

        assertThat(vms.listeners).isEmpty();
    }

    private void open() {
        connection().open();
        loop.run();
    }

    private void openAndAccept() {
        open();
        recorder.nextRequest();
        recorder.acceptConnect();
    }

    private RecorderConnection connection() {
        if (connection == null) {
            connection = new RecorderConnection(SETTINGS, vms, loop.loop(), loop.blocking(),
                    new RecorderTls(false), recorder, new Recording());
        }
        return connection;
    }

    /** A playback request (§8.1), to show the connection knows nothing of live. */
    private static String next(int requestId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodcall><requestid>" + requestId + "</requestid>"
                + "<methodname>next</methodname></methodcall>" + ImageServerRequests.TERMINATOR;
    }

    private final class Recording implements ConnectionEvents {
        @Override
        public void connecting(RecorderAddress address) {
            events.add("connecting " + RecorderConnection.describe(address));
        }

        @Override
        public void connected() {
            events.add("connected");
        }

        @Override
        public void image(ImageResponse image) {
            events.add("image " + image.body().length + " bytes");
        }

        @Override
        public void document(XmlMessage document) {
            events.add("document " + document.root()
                    + (document.methodName().isEmpty() ? "" : " " + document.methodName()));
        }

        @Override
        public void lost(String reason) {
            events.add("lost: " + reason);
        }

        @Override
        public void problem(SessionProblem problem, String message, RuntimeException cause) {
            events.add("problem " + problem + ": " + message);
            problemCause = cause;
        }
    }
}
