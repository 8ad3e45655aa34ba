package io.camrelay.rtmp.client;

import io.camrelay.testing.ManualLoop;
import static io.camrelay.rtmp.client.EmbeddedDialer.acceptPublish;
import static io.camrelay.rtmp.client.EmbeddedDialer.commands;
import static io.camrelay.rtmp.client.EmbeddedDialer.media;
import static io.camrelay.rtmp.client.EmbeddedDialer.refusePublish;
import static io.camrelay.rtmp.client.EmbeddedDialer.written;
import static io.camrelay.rtmp.client.TestSettings.BACKOFF_INITIAL;
import static io.camrelay.rtmp.client.TestSettings.BACKOFF_MAX;
import static io.camrelay.rtmp.client.TestSettings.BACKOFF_RESET_AFTER;
import static io.camrelay.rtmp.client.TestSettings.MASKED;
import static io.camrelay.rtmp.client.TestSettings.READ_TIMEOUT;
import static io.camrelay.rtmp.client.TestSettings.REJECTION_BACKOFF;
import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.FlvTag;
import io.camrelay.rtmp.chunk.RtmpMessage;
import io.camrelay.rtmp.chunk.RtmpMessageTypes;
import io.camrelay.support.Backoff;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor through its seams: connections on EmbeddedChannels (the test plays the server), time on a frozen
 * event loop, and a back-off without jitter, so delays are exact.
 */
class RtmpPublisherTest {

    private static final byte[] AVC_CONFIG = {1, 0x42, 0, 0x1E, (byte) 0xFF, (byte) 0xE0, 0, 0};
    private static final byte[] PICTURE = {0x17, 1, 0, 0, 0, 0, 0, 0, 1};
    private static final FlvTag AVC_HEADER = FlvTag.video(0, true, true, false, AVC_CONFIG);
    private static final byte[] AVC_CONFIG_TAG_BODY = AVC_CONFIG;
    /** Backoff's jitter factor is 1 - 0.2 + 0.4 * random: exactly 1 for 0.5. */
    private static final double NO_JITTER = 0.5;

    private final ManualLoop loop = new ManualLoop();
    private final EmbeddedDialer dialer = new EmbeddedDialer(loop::millis);
    private final List<RtmpPublisherStats> seen = new ArrayList<>();
    private final RtmpPublisher publisher = new RtmpPublisher(TestSettings.settings(0, seen::add), loop.loop(),
            Runnable::run, dialer, null, loop.clock(), new Backoff(BACKOFF_INITIAL, BACKOFF_MAX, () -> NO_JITTER));

    @AfterEach
    void release() {
        dialer.releaseAll();
        loop.close();
    }

    private static FlvTag key(long timestamp) {
        return FlvTag.video(timestamp, true, false, false, PICTURE);
    }

    private static FlvTag inter(long timestamp) {
        return FlvTag.video(timestamp, false, false, false, PICTURE);
    }

    private void offer(FlvTag... tags) {
        publisher.offer(List.of(tags));
        loop.run();
    }

    /** Started, dialled, the server not answering yet. */
    private EmbeddedChannel started() {
        publisher.start();
        loop.run();
        return dialer.last();
    }

    /** Started, published on stream 1, the first key frame sent. */
    private EmbeddedChannel streaming() {
        EmbeddedChannel ch = started();
        acceptPublish(ch, 1);
        offer(AVC_HEADER, key(0));
        written(ch);
        return ch;
    }

    private RtmpPublisherStats stats() {
        return publisher.stats();
    }

    private static void setWritable(EmbeddedChannel ch, boolean writable) {
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        ch.runPendingTasks();
    }

    /** The states the listener saw, each run of repeats once. */
    private List<RtmpPublisherState> statesSeen() {
        List<RtmpPublisherState> out = new ArrayList<>();
        for (RtmpPublisherStats s : seen) {
            if (out.isEmpty() || out.get(out.size() - 1) != s.state()) {
                out.add(s.state());
            }
        }
        return out;
    }

    @Test
    void refusedConnectionsAreRetriedAfterDoublingDelaysUpToTheCap() {
        dialer.refuse(true);
        started();

        loop.advance(30_000);

        assertThat(dialer.gaps()).containsExactly(1000L, 2000L, 4000L, 8000L, 8000L);
        assertThat(stats().state()).isEqualTo(RtmpPublisherState.RECONNECTING);
        assertThat(stats().reconnects()).isEqualTo(5);
        assertThat(stats().lastError()).isEqualTo("cannot connect to 127.0.0.1:19350 (Connection refused): check the "
                + "host and port, and that the server is running");
    }

    @Test
    void refusedPublishWaitsAtLeastTheRejectionDelayInStateError() {
        EmbeddedChannel ch = started();

        refusePublish(ch, 1);

        assertThat(stats().state()).isEqualTo(RtmpPublisherState.ERROR);
        assertThat(stats().lastError()).startsWith("server rejected publish (NetStream.Publish.BadName: Already "
                + "publishing)");
        loop.advance(REJECTION_BACKOFF - 1);
        assertThat(dialer.dials()).hasSize(1);
        loop.advance(1);
        assertThat(dialer.dials()).hasSize(2);
    }

    @Test
    void streamingForBackoffResetAfterStartsTheBackOffAgainFromTheInitialDelay() {
        dialer.refuse(true);
        started();
        loop.advance(1000);
        dialer.refuse(false);
        loop.advance(2000);
        acceptPublish(dialer.last(), 1);
        offer(AVC_HEADER, key(0));
        loop.advance(BACKOFF_RESET_AFTER);

        dialer.last().close();
        loop.advance(BACKOFF_INITIAL);

        assertThat(dialer.gaps()).containsExactly(1000L, 2000L, BACKOFF_RESET_AFTER + BACKOFF_INITIAL);
    }

    @Test
    void streamingShorterThanBackoffResetAfterKeepsDoublingTheDelay() {
        dialer.refuse(true);
        started();
        loop.advance(1000);
        dialer.refuse(false);
        loop.advance(2000);
        acceptPublish(dialer.last(), 1);
        offer(AVC_HEADER, key(0));
        loop.advance(BACKOFF_RESET_AFTER - 1);

        dialer.last().close();
        loop.advance(4000);

        assertThat(dialer.gaps()).containsExactly(1000L, 2000L, BACKOFF_RESET_AFTER - 1 + 4000);
    }

    @Test
    void timelineReachingSevenDaysIsRepublishedAtOnceWithTimestampsFromZero() {
        EmbeddedChannel first = streaming();
        long pastSevenDays = RtmpPublisher.REPUBLISH_AFTER_MILLIS + 40;

        offer(key(pastSevenDays));

        assertThat(commands(written(first))).containsExactly("FCUnpublish", "deleteStream");
        assertThat(first.isOpen()).isFalse();
        assertThat(dialer.gaps()).containsExactly(0L);
        EmbeddedChannel second = dialer.last();
        acceptPublish(second, 1);
        List<RtmpMessage> sent = media(written(second));
        assertThat(sent).extracting(RtmpMessage::typeId).containsExactly(RtmpMessageTypes.DATA_AMF0,
                RtmpMessageTypes.VIDEO, RtmpMessageTypes.VIDEO);
        assertThat(sent.get(2).payload()).isEqualTo(PICTURE);
        assertThat(sent).extracting(RtmpMessage::timestamp).containsOnly(0L);
        assertThat(stats().state()).isEqualTo(RtmpPublisherState.STREAMING);
        assertThat(stats().reconnects()).isEqualTo(1);
        assertThat(stats().lastError()).isEqualTo("timeline of " + MASKED + " reached " + pastSevenDays + " ms; "
                + "republishing at this key frame so timestamps restart at 0 before 2^31 ms");
    }

    @Test
    void aNewPublishResendsTheCachedMetadataAndSequenceHeaderBeforeItsFirstKeyFrame() {
        FlvTag metadata = FlvMessages.minimalMetadata(AVC_HEADER, null);
        EmbeddedChannel first = started();
        acceptPublish(first, 1);
        offer(metadata, AVC_HEADER, key(0), inter(40));
        first.close();
        loop.advance(BACKOFF_INITIAL);
        EmbeddedChannel second = dialer.last();
        acceptPublish(second, 3);

        offer(inter(1040), key(1080), inter(1120));

        List<RtmpMessage> sent = media(written(second));
        assertThat(sent).extracting(RtmpMessage::payload).containsExactly(
                FlvMessages.withSetDataFrame(metadata.bodyUnsafe()), AVC_CONFIG, PICTURE, PICTURE);
        assertThat(sent).extracting(RtmpMessage::timestamp).containsExactly(0L, 0L, 0L, 40L);
        assertThat(sent).extracting(RtmpMessage::messageStreamId).containsOnly(3);
    }

    @Test
    void framesAheadOfTheFirstKeyFrameOfAPublishAreDroppedAndCounted() {
        EmbeddedChannel ch = started();
        acceptPublish(ch, 1);

        offer(AVC_HEADER, inter(0), inter(40));
        offer(key(80));

        assertThat(media(written(ch))).extracting(RtmpMessage::timestamp).containsExactly(0L, 0L, 0L);
        assertThat(stats().framesDropped()).isEqualTo(2);
        assertThat(stats().framesSent()).isEqualTo(1);
    }

    @Test
    void everyFrameOfferedWhileTheServerStopsReadingIsSentDroppedOrQueued() {
        EmbeddedChannel ch = streaming();
        setWritable(ch, false);
        int offered = 0;
        for (long ts = 40; ts < 3000; ts += 40, offered++) {
            offer(ts % 1000 == 0 ? key(ts) : inter(ts));
        }
        RtmpPublisherStats blocked = stats();
        assertThat(blocked.framesDropped()).isPositive();
        assertThat(blocked.framesSent()).isEqualTo(1);
        assertThat(blocked.queuedMillis()).isLessThanOrEqualTo(TestSettings.DROP_TO_KEY_FRAME_AFTER);

        setWritable(ch, true);

        RtmpPublisherStats drained = stats();
        assertThat(drained.framesSent() + drained.framesDropped()).isEqualTo(1 + offered);
        assertThat(drained.queuedBytes()).isZero();
        assertThat(media(written(ch))).hasSize((int) drained.framesSent() - 1);
    }

    @Test
    void serverTakingNoDataForReadTimeoutIsReconnected() {
        EmbeddedChannel ch = streaming();
        setWritable(ch, false);
        offer(inter(40), inter(80));

        loop.advance(READ_TIMEOUT + RtmpPublisher.CHECK_INTERVAL_MILLIS);

        assertThat(ch.isOpen()).isFalse();
        assertThat(stats().state()).isEqualTo(RtmpPublisherState.RECONNECTING);
        assertThat(stats().lastError()).isEqualTo(MASKED + " accepted no data for 2000 ms (40 ms of media queued)");
    }

    @Test
    void stopWhileConnectingClosesTheChannelAndNeverReconnects() {
        EmbeddedChannel ch = started();

        Future<Void> stopped = publisher.stop();
        loop.run();

        assertThat(stopped.isSuccess()).isTrue();
        assertThat(ch.isOpen()).isFalse();
        assertThat(stats().state()).isEqualTo(RtmpPublisherState.STOPPED);
        loop.advance(60_000);
        assertThat(dialer.dials()).hasSize(1);
    }

    @Test
    void stopWhilePublishingWritesTheTeardownThenClosesTheChannel() {
        EmbeddedChannel ch = streaming();

        Future<Void> stopped = publisher.stop();
        loop.run();

        assertThat(commands(written(ch))).containsExactly("FCUnpublish", "deleteStream");
        assertThat(ch.isOpen()).isFalse();
        assertThat(stopped.isSuccess()).isTrue();
        assertThat(stats().state()).isEqualTo(RtmpPublisherState.STOPPED);
        loop.advance(60_000);
        assertThat(dialer.dials()).hasSize(1);
    }

    @Test
    void tagsOfferedAfterStopAreIgnored() {
        EmbeddedChannel ch = streaming();
        publisher.stop();
        loop.run();
        written(ch);

        offer(inter(40), key(80));

        assertThat(stats().framesSent()).isEqualTo(1);
        assertThat(stats().queuedBytes()).isZero();
    }

    @Test
    void listenerSeesStartingStreamingReconnectingStreaming() {
        EmbeddedChannel first = started();
        loop.advance(RtmpPublisher.CHECK_INTERVAL_MILLIS);
        acceptPublish(first, 1);
        offer(AVC_HEADER, key(0));

        first.close();
        assertThat(stats().lastError()).isEqualTo("connection to " + MASKED + " closed by the server while publishing");
        loop.advance(BACKOFF_INITIAL);
        acceptPublish(dialer.last(), 1);
        offer(key(2000));

        assertThat(statesSeen()).containsExactly(RtmpPublisherState.STARTING, RtmpPublisherState.STREAMING,
                RtmpPublisherState.RECONNECTING, RtmpPublisherState.STREAMING);
        assertThat(seen.get(seen.size() - 1).reconnects()).isEqualTo(1);
    }

    @Test
    void theFirstFrameOfEachPublishIsMeasuredAsItsStartUp() {
        List<Boolean> firstOfPublish = new ArrayList<>();
        RtmpPublisher measured = new RtmpPublisher(TestSettings.settings(0, null), loop.loop(), Runnable::run, dialer,
                (latency, first) -> firstOfPublish.add(first), loop.clock(),
                new Backoff(BACKOFF_INITIAL, BACKOFF_MAX, () -> NO_JITTER));
        measured.start();
        loop.run();
        acceptPublish(dialer.last(), 1);
        measured.offer(List.of(AVC_HEADER, key(0)), loop.clock().getAsLong());
        measured.offer(List.of(inter(40)), loop.clock().getAsLong());
        loop.run();
        dialer.last().close();
        loop.advance(BACKOFF_INITIAL);
        acceptPublish(dialer.last(), 1);

        measured.offer(List.of(key(80)), loop.clock().getAsLong());
        loop.run();

        assertThat(firstOfPublish).containsExactly(true, false, true);
    }

    @Test
    void listenerGetsASnapshotEveryStatusIntervalBesidesStateChanges() {
        streaming();
        int before = seen.size();

        loop.advance(10 * TestSettings.STATUS_INTERVAL);

        assertThat(seen.size() - before).isEqualTo(10);
        assertThat(seen.get(seen.size() - 1).state()).isEqualTo(RtmpPublisherState.STREAMING);
    }

    @Test
    void aRotationConnectsTheNewPublishFirstAndSwitchesAtAKeyFrameBeforeClosingTheOldOne() {
        EmbeddedChannel first = streaming();
        publisher.rotateEvery(2_000);
        loop.run();
        offer(inter(40));
        offer(key(2_000)); // due: the new publish is dialled, the old one goes on
        EmbeddedChannel second = dialer.last();
        assertThat(second).isNotSameAs(first);
        assertThat(media(written(first))).extracting(RtmpMessage::timestamp).containsExactly(40L, 2_000L);

        acceptPublish(second, 1);
        offer(inter(2_040));
        offer(key(4_000));
        offer(inter(4_040));

        // the old publish got media up to the key frame, then its teardown
        List<RtmpMessage> old = written(first);
        assertThat(media(old)).extracting(RtmpMessage::timestamp).containsExactly(2_040L);
        assertThat(commands(old)).containsExactly("FCUnpublish", "deleteStream");
        // the new one starts at that key frame, timestamps from 0
        List<RtmpMessage> sent = media(written(second));
        assertThat(sent).extracting(RtmpMessage::typeId).containsExactly(RtmpMessageTypes.DATA_AMF0,
                RtmpMessageTypes.VIDEO, RtmpMessageTypes.VIDEO, RtmpMessageTypes.VIDEO);
        assertThat(sent.get(1).payload()).isEqualTo(AVC_CONFIG_TAG_BODY);
        assertThat(sent).extracting(RtmpMessage::timestamp).containsExactly(0L, 0L, 0L, 40L);
        assertThat(stats().publishes()).isEqualTo(2);
        assertThat(stats().reconnects()).as("no loss, no reconnect").isZero();
        assertThat(stats().state()).isEqualTo(RtmpPublisherState.STREAMING);
    }

    @Test
    void aServerThatRefusesASecondPublishOnTheKeyGetsCloseThenPublishAtTheNextKeyFrame() {
        EmbeddedChannel first = streaming();
        publisher.rotateEvery(2_000);
        loop.run();
        offer(key(2_000));
        EmbeddedChannel standby = dialer.last();
        refusePublish(standby, 1); // nginx-rtmp: NetStream.Publish.BadName, "Already publishing"
        loop.run();
        written(first);

        offer(inter(2_040));
        offer(key(4_000));

        assertThat(commands(written(first))).containsExactly("FCUnpublish", "deleteStream");
        assertThat(first.isOpen()).isFalse();
        EmbeddedChannel next = dialer.last();
        assertThat(next).isNotSameAs(standby);
        acceptPublish(next, 1);
        List<RtmpMessage> sent = media(written(next));
        assertThat(sent.get(sent.size() - 1).payload()).isEqualTo(PICTURE);
        assertThat(sent).extracting(RtmpMessage::timestamp).containsOnly(0L);
        assertThat(stats().state()).isEqualTo(RtmpPublisherState.STREAMING);
    }

    @Test
    void aPublishRefusedRightAfterAPlannedCloseIsRetriedWithinAQuarterSecond() {
        EmbeddedChannel first = streaming();
        long pastSevenDays = RtmpPublisher.REPUBLISH_AFTER_MILLIS + 40;
        offer(key(pastSevenDays));
        assertThat(first.isOpen()).isFalse();
        EmbeddedChannel second = dialer.last();

        refusePublish(second, 1); // the server has not noticed the old publish's end yet
        loop.advance(RtmpPublisher.PLANNED_RETRY_DELAY_MILLIS);

        assertThat(dialer.gaps()).containsExactly(0L, RtmpPublisher.PLANNED_RETRY_DELAY_MILLIS);
    }

    @Test
    void aLossDuringARotationClosesItsNewPublishWhichBelongedToTheLostOne() {
        EmbeddedChannel first = streaming();
        publisher.rotateEvery(2_000);
        loop.run();
        offer(key(2_000));
        EmbeddedChannel standby = dialer.last();
        acceptPublish(standby, 1);

        first.close();
        loop.run();

        assertThat(standby.isOpen()).as("the standby of the lost publish").isFalse();
        loop.advance(BACKOFF_INITIAL);
        assertThat(dialer.last()).isNotSameAs(standby);
    }
}
