package io.camrelay.imageserver.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.imageserver.codec.ImageServerLimits;
import io.camrelay.imageserver.codec.ImageServerRequests;
import io.camrelay.media.GenericByteData;
import io.camrelay.media.VideoCodec;
import io.camrelay.testing.ManualLoop;
import io.camrelay.vms.RecorderAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Playback on EmbeddedChannels, a fake VMS and a frozen event loop whose time the test moves (docs/protocols.md §8). */
class PlaybackSessionTest {

    private static final String CAMERA = "11111111-aaaa-4000-8000-000000000001";
    private static final long NO_DATA_MS = 2_000;
    private static final SessionSettings SETTINGS = new SessionSettings(CAMERA, null, 1000, NO_DATA_MS, 100, 10_000,
            ImageServerLimits.DEFAULTS, false);
    private static final long T0 = 1_763_700_000_000L;
    private static final long GOP_MS = 2000;
    private static final long FRAME_MS = 40;
    /** From half a GOP into the second GOP, for ten GOPs. */
    private static final PlaybackSettings RANGE = new PlaybackSettings(T0 + GOP_MS + 1000, T0 + 11 * GOP_MS, 3);

    private final ManualLoop loop = new ManualLoop();
    private final FakeVms vms = new FakeVms(new RecorderAddress("127.0.0.1", 7563, false));
    private final FakeRecorder recorder = new FakeRecorder();
    private final Recording events = new Recording();
    private PlaybackSession session = new PlaybackSession(SETTINGS, RANGE, vms, loop.loop(), loop.blocking(), events,
            recorder, loop.clock());

    /** What the session reported. */
    private static final class Recording implements PlaybackEvents {
        final List<Long> times = new ArrayList<>();
        final List<PlaybackSession.End> ends = new ArrayList<>();
        final List<SessionProblem> problems = new ArrayList<>();
        final List<String> messages = new ArrayList<>();
        boolean wantsMore = true;

        @Override
        public void picture(byte[] packet, long receiveNanos) {
            times.add(ByteBuffer.wrap(packet).getLong(20));
        }

        @Override
        public boolean wantsMore() {
            return wantsMore;
        }

        @Override
        public void finished(PlaybackSession.End end) {
            ends.add(end);
        }

        @Override
        public void failed(SessionProblem problem, String message, RuntimeException cause) {
            problems.add(problem);
            messages.add(message);
        }
    }

    @AfterEach
    void release() {
        recorder.close();
        loop.close();
    }

    private static byte[] picture(long time, boolean key) {
        return GenericByteData.encode(VideoCodec.H264.id(), 0, key, time, time, new byte[] {0, 0, 0, 1, 0x65});
    }

    /** The GOP at {@code k} GOPs after T0 (key frame + 49 pictures) as the reply to {@code requestId}. */
    private void gop(int requestId, int k) {
        long key = T0 + k * GOP_MS;
        for (int i = 0; i < 50 && recorder.socket().isOpen(); i++) {
            recorder.playbackPicture(requestId, key, key + GOP_MS, picture(key + i * FRAME_MS, i == 0), null);
        }
        loop.run();
    }

    private List<String> connect() {
        session.start();
        loop.run();
        recorder.nextRequest();
        recorder.acceptConnect();
        loop.run();
        return recorder.methods();
    }

    @Test
    void sendsGotoAtTheStartThenKeepsTheBoundedNumberOfNextsInFlight() {
        session.start();
        loop.run();
        recorder.nextRequest();
        recorder.acceptConnect();
        loop.run();

        assertThat(recorder.nextRequest()).isEqualTo(ImageServerRequests.goTo(1, RANGE.fromMs()));
        assertThat(recorder.methods()).containsExactly("next", "next");
        gop(1, 1);
        assertThat(recorder.methods()).as("nothing more until a reply is known complete").isEmpty();
        gop(2, 2);
        assertThat(recorder.methods()).as("the goto's reply is complete: one more").containsExactly("next");
    }

    @Test
    void passesPicturesFromTheKeyFrameBeforeFromUntilTheFirstAtOrAfterTo() {
        connect();
        for (int k = 1; k <= 11; k++) {
            gop(k, k);
            recorder.methods();
        }

        assertThat(events.times.get(0)).as("the key frame at or before from").isEqualTo(T0 + GOP_MS);
        assertThat(events.times).hasSize(10 * 50);
        assertThat(events.times.get(events.times.size() - 1)).isEqualTo(RANGE.toMs() - FRAME_MS);
        assertThat(events.ends).containsExactly(PlaybackSession.End.TO_REACHED);
        assertThat(recorder.socket().isOpen()).as("closed at the end").isFalse();
        assertThat(session.picturesReceived()).isEqualTo(500);
    }

    @Test
    void aGopThatEndsBeforeFromIsLeftOut() {
        connect();

        gop(1, 0); // goto into a gap: the last GOP before it
        gop(2, 3); // next crosses the gap

        assertThat(events.times.get(0)).isEqualTo(T0 + 3 * GOP_MS);
        assertThat(events.times).hasSize(50);
    }

    @Test
    void aRepeatedCurrentEndsTheRecordingWithoutPassingItsPicturesTwice() {
        connect();

        gop(1, 1);
        gop(2, 2);
        gop(3, 2); // the newest GOP again: the recording ends here

        assertThat(events.times).hasSize(100).doesNotHaveDuplicates();
        assertThat(events.ends).containsExactly(PlaybackSession.End.END_OF_RECORDING);
    }

    @Test
    void anEmptyReplyEndsTheRecording() {
        connect();

        recorder.playbackPicture(1, 0, 0, new byte[0], null);
        loop.run();

        assertThat(events.times).isEmpty();
        assertThat(events.ends).containsExactly(PlaybackSession.End.END_OF_RECORDING);
    }

    @Test
    void asksForNothingMoreWhileTheOwnerTakesNoMoreAndGoesOnWhenItResumes() {
        connect();
        events.wantsMore = false;
        gop(1, 1);
        gop(2, 2);
        assertThat(recorder.methods()).isEmpty();

        events.wantsMore = true;
        session.resume();
        loop.run();

        assertThat(recorder.methods()).as("the reply in progress still counts: up to 3 again").containsExactly("next");
    }

    @Test
    void aGopSentAsOneBodyOfPacketsBackToBackIsSplit() {
        connect();
        byte[] a = picture(T0 + 2 * GOP_MS, true);
        byte[] b = picture(T0 + 2 * GOP_MS + FRAME_MS, false);
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);

        recorder.playbackPicture(1, T0 + 2 * GOP_MS, T0 + 3 * GOP_MS, both, null);
        loop.run();

        assertThat(events.times).containsExactly(T0 + 2 * GOP_MS, T0 + 2 * GOP_MS + FRAME_MS);
    }

    @Test
    void aMaskedCameraFailsWithThePrivacyMaskMessageBeforeAnyPictureIsPassedOn() {
        connect();

        recorder.playbackPicture(1, T0 + GOP_MS, T0 + 2 * GOP_MS, picture(T0 + GOP_MS, true), "grid;8x6;01");
        loop.run();

        assertThat(events.times).isEmpty();
        assertThat(events.problems).containsExactly(SessionProblem.PRIVACY_MASK);
        assertThat(events.messages).containsExactly(PrivacyMask.message(CAMERA));
    }

    @Test
    void aRecorderThatStopsAnsweringFailsThePlaybackAfterTheNoDataTimeout() {
        connect();
        gop(1, 1);

        loop.advance(NO_DATA_MS + 1000);

        assertThat(events.problems).containsExactly((SessionProblem) null);
        assertThat(events.messages.get(0)).startsWith("ImageServer playback of camera " + CAMERA + " failed: no reply "
                + "from recorder tcp://127.0.0.1:7563 for ").endsWith("; check the recording server and the network to"
                + " it, then export again");
    }

    @Test
    void waitingForTheOwnerIsNotANoDataTimeout() {
        connect();
        events.wantsMore = false;
        gop(1, 1);

        loop.advance(NO_DATA_MS * 5);

        assertThat(events.problems).isEmpty();
    }

    @Test
    void aRenewedTokenGoesOutAsConnectUpdateOnThePlaybackSocket() {
        connect();
        gop(1, 1);
        recorder.methods();

        vms.renew();
        loop.run();

        String update = recorder.nextRequest();
        assertThat(FakeRecorder.method(update)).isEqualTo("connectupdate");
        assertThat(recorder.dials()).isOne();
    }
}
