package io.camrelay.rtmp.client;

import io.camrelay.testing.ManualLoop;
import io.camrelay.testing.StalledWrites;
import static io.camrelay.rtmp.client.EmbeddedDialer.acceptPublish;
import static io.camrelay.rtmp.client.EmbeddedDialer.answerUntilPublish;
import static io.camrelay.rtmp.client.EmbeddedDialer.commands;
import static io.camrelay.rtmp.client.EmbeddedDialer.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.FlvTag;
import io.camrelay.rtmp.chunk.RtmpMessage;
import io.camrelay.rtmp.chunk.RtmpMessageTypes;
import io.camrelay.rtmp.message.RtmpChunkStreams;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One connection and its publish, on an EmbeddedChannel: the start of media, rebasing, how it ends and why. */
class RtmpConnectionTest {

    private static final int STREAM_ID = 7;
    private static final byte[] AVC_CONFIG = {1, 0x42, 0, 0x1E, (byte) 0xFF, (byte) 0xE0, 0, 0};
    private static final byte[] AAC_CONFIG = {0x12, 0x10};
    private static final byte[] PICTURE = {0x17, 1, 0, 0, 0, 0, 0, 0, 1};
    private static final FlvTag AVC_HEADER = FlvTag.video(0, true, true, false, AVC_CONFIG);
    private static final FlvTag AAC_HEADER = FlvTag.audio(0, true, AAC_CONFIG);
    private static final FlvTag METADATA = FlvMessages.minimalMetadata(AVC_HEADER, AAC_HEADER);

    private final ManualLoop loop = new ManualLoop();
    private final EmbeddedDialer dialer = new EmbeddedDialer(loop::millis);
    private final RecordingOwner owner = new RecordingOwner();
    private final RtmpConnection connection = connection(0, Runnable::run);

    @AfterEach
    void release() {
        dialer.releaseAll();
        loop.close();
    }

    /** Records what a connection reports. */
    private static final class RecordingOwner implements RtmpConnection.Owner {
        final List<RtmpConnection> published = new ArrayList<>();
        final List<RtmpPublishException> closes = new ArrayList<>();

        @Override
        public void published(RtmpConnection c) {
            published.add(c);
        }

        @Override
        public void writable(RtmpConnection c) {
        }

        @Override
        public void closed(RtmpConnection c, RtmpPublishException cause) {
            closes.add(cause);
        }
    }

    private RtmpConnection connection(long timestampOffset, Executor resolver) {
        return new RtmpConnection(TestSettings.settings(timestampOffset, null), loop.loop(), resolver, dialer, owner);
    }

    private EmbeddedChannel opened() {
        connection.open();
        loop.run();
        return dialer.last();
    }

    private EmbeddedChannel publishing() {
        EmbeddedChannel ch = opened();
        acceptPublish(ch, STREAM_ID);
        written(ch);
        return ch;
    }

    @Test
    void dialsThePortOfTheUrlAndReportsTheAcceptedPublish() {
        EmbeddedChannel ch = opened();

        acceptPublish(ch, STREAM_ID);

        assertThat(dialer.dials()).singleElement().satisfies(d -> assertThat(d.address().getPort()).isEqualTo(19350));
        assertThat(commands(written(ch))).containsExactly("connect", "releaseStream", "FCPublish", "createStream",
                "publish");
        assertThat(owner.published).containsExactly(connection);
        assertThat(connection.publishing()).isTrue();
        assertThat(connection.mediaStarted()).isFalse();
    }

    @Test
    void mediaStartsWithMetadataAndBothSequenceHeadersAtTimeZeroOnThePublishStream() {
        EmbeddedChannel ch = publishing();

        connection.startMedia(METADATA, AVC_HEADER, AAC_HEADER, 5000);
        connection.write(FlvTag.video(5000, true, false, false, PICTURE));
        connection.flush(ChannelFutureListener.CLOSE_ON_FAILURE);

        List<RtmpMessage> out = written(ch);
        assertThat(out).extracting(RtmpMessage::typeId).containsExactly(RtmpMessageTypes.DATA_AMF0,
                RtmpMessageTypes.VIDEO, RtmpMessageTypes.AUDIO, RtmpMessageTypes.VIDEO);
        assertThat(out).extracting(RtmpMessage::timestamp).containsOnly(0L);
        assertThat(out).extracting(RtmpMessage::messageStreamId).containsOnly(STREAM_ID);
        assertThat(out.get(0).payload()).isEqualTo(FlvMessages.withSetDataFrame(METADATA.bodyUnsafe()));
        assertThat(out.get(1).payload()).isEqualTo(AVC_CONFIG);
        assertThat(out.get(1).chunkStreamId()).isEqualTo(RtmpChunkStreams.VIDEO);
        assertThat(out.get(2).payload()).isEqualTo(AAC_CONFIG);
        assertThat(out.get(3).payload()).isEqualTo(PICTURE);
        assertThat(connection.mediaStarted()).isTrue();
    }

    @Test
    void withoutMetadataAMinimalOneNamingTheCodecsGoesFirst() {
        EmbeddedChannel ch = publishing();

        connection.startMedia(null, AVC_HEADER, null, 0);
        connection.flush(ChannelFutureListener.CLOSE_ON_FAILURE);

        List<RtmpMessage> out = written(ch);
        assertThat(out).hasSize(2);
        assertThat(out.get(0).payload()).isEqualTo(FlvMessages.withSetDataFrame(
                FlvMessages.minimalMetadata(AVC_HEADER, null).bodyUnsafe()));
    }

    @Test
    void mediaIsStampedFromTheKeyFrameOfTheStartAndNeverBeforeZero() {
        EmbeddedChannel ch = publishing();
        connection.startMedia(METADATA, AVC_HEADER, null, 5000);
        connection.flush(ChannelFutureListener.CLOSE_ON_FAILURE);
        written(ch);

        connection.write(FlvTag.audio(4990, false, new byte[] {0x21}));
        connection.write(FlvTag.video(5000, true, false, false, PICTURE));
        connection.write(FlvTag.video(5040, false, false, false, PICTURE));
        connection.flush(ChannelFutureListener.CLOSE_ON_FAILURE);

        assertThat(written(ch)).extracting(RtmpMessage::timestamp).containsExactly(0L, 0L, 40L);
    }

    @Test
    void writeReturnsTheSizeOfTheMessageAsSent() {
        publishing();
        connection.startMedia(METADATA, AVC_HEADER, null, 0);

        assertThat(connection.write(FlvTag.video(0, true, false, false, PICTURE))).isEqualTo(PICTURE.length);
        assertThat(connection.write(METADATA)).isEqualTo(FlvMessages.withSetDataFrame(METADATA.bodyUnsafe()).length);
    }

    @Test
    void timestampOffsetIsAddedToEveryRebasedTimestamp() {
        RtmpConnection shifted = connection(0xFFFFFF - 20, Runnable::run);
        shifted.open();
        loop.run();
        EmbeddedChannel ch = dialer.last();
        acceptPublish(ch, STREAM_ID);
        written(ch);

        shifted.startMedia(METADATA, AVC_HEADER, null, 1000);
        shifted.write(FlvTag.video(1040, false, false, false, PICTURE));
        shifted.flush(ChannelFutureListener.CLOSE_ON_FAILURE);

        assertThat(written(ch)).extracting(RtmpMessage::timestamp)
                .containsExactly(0xFFFFFFL - 20, 0xFFFFFFL - 20, 0xFFFFFFL + 20);
        assertThat(shifted.timelineMillis(FlvTag.video(1040, false, false, false, PICTURE))).isEqualTo(0xFFFFFF + 20);
    }

    @Test
    void flushTellsTheListenerWhenTheLastWriteIsOut() {
        EmbeddedChannel ch = publishing();
        connection.startMedia(METADATA, AVC_HEADER, null, 0);
        List<Boolean> outcomes = new ArrayList<>();

        connection.write(FlvTag.video(0, true, false, false, PICTURE));
        connection.flush(f -> outcomes.add(f.isSuccess()));

        assertThat(outcomes).containsExactly(true);
        written(ch);
    }

    @Test
    void serverClosingRightAfterPublishIsAReportedRejectionNamingTheKeyMasked() {
        EmbeddedChannel ch = opened();
        answerUntilPublish(ch, STREAM_ID);

        ch.close();

        assertThat(owner.closes).singleElement().satisfies(e -> {
            assertThat(e.getMessage()).isEqualTo("connection to " + TestSettings.MASKED
                    + " closed by the server right after publish; check the stream key ****");
            assertThat(e.rejected()).isTrue();
        });
        assertThat(connection.closeFuture().isDone()).isTrue();
    }

    @Test
    void serverClosingWhilePublishingIsALossNotARejection() {
        EmbeddedChannel ch = publishing();

        ch.close();

        assertThat(owner.closes).singleElement().satisfies(e -> {
            assertThat(e.getMessage()).isEqualTo("connection to " + TestSettings.MASKED
                    + " closed by the server while publishing");
            assertThat(e.rejected()).isFalse();
        });
        assertThat(connection.publishing()).isFalse();
    }

    @Test
    void refusedConnectNamesHostAndPortAndTheFix() {
        dialer.refuse(true);

        EmbeddedChannel ch = opened();

        assertThat(owner.closes).singleElement().extracting(Throwable::getMessage).isEqualTo("cannot connect to "
                + "127.0.0.1:19350 (Connection refused): check the host and port, and that the server is running");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void serverSilentAfterPublishFailsAfterConnectPlusReadTimeoutNamingTheStep() {
        EmbeddedChannel ch = opened();
        answerUntilPublish(ch, STREAM_ID);

        loop.advance(TestSettings.CONNECT_TIMEOUT + TestSettings.READ_TIMEOUT - 1);
        assertThat(owner.closes).isEmpty();
        loop.advance(1);

        assertThat(owner.closes).singleElement().extracting(Throwable::getMessage).isEqualTo("no NetStream.Publish.Start "
                + "from " + TestSettings.MASKED + " within 3000 ms (stuck at publish): the server neither accepted "
                + "nor refused; check the URL and stream key ****");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void acceptedPublishCancelsTheSetUpTimeout() {
        publishing();

        loop.advance(60_000);

        assertThat(owner.closes).isEmpty();
    }

    @Test
    void closedIsReportedOnceWithTheFirstCause() {
        EmbeddedChannel ch = publishing();

        connection.fail(new RtmpPublishException("first", false));
        connection.fail(new RtmpPublishException("second", false));
        ch.close();

        assertThat(owner.closes).singleElement().extracting(Throwable::getMessage).isEqualTo("first");
    }

    @Test
    void unpublishWritesTheTeardownAndClosesAsTheOwnersOwnDoing() {
        EmbeddedChannel ch = publishing();

        connection.unpublish(new RtmpPublishException("planned", false));

        assertThat(commands(written(ch))).containsExactly("FCUnpublish", "deleteStream");
        assertThat(ch.isOpen()).isFalse();
        assertThat(connection.unpublished()).isTrue();
        assertThat(owner.closes).singleElement().extracting(Throwable::getMessage).isEqualTo("planned");
    }

    @Test
    void closeWhilePublishingWritesTheTeardownThenCloses() {
        EmbeddedChannel ch = publishing();

        connection.close(new RtmpPublishException("stopped", false));

        assertThat(commands(written(ch))).containsExactly("FCUnpublish", "deleteStream");
        assertThat(ch.isOpen()).isFalse();
        assertThat(connection.closeFuture().isSuccess()).isTrue();
        assertThat(connection.unpublished()).isFalse();
    }

    @Test
    void closeForceClosesAfterTheGraceWhenThePeerStoppedReading() {
        // Given a publishing connection whose server stopped reading: nothing written gets out any more
        EmbeddedChannel ch = publishing();
        StalledWrites peer = new StalledWrites();
        ch.pipeline().addFirst(peer);
        peer.stall();

        // When it is closed, the teardown cannot be flushed
        connection.close(new RtmpPublishException("stopped", false));
        assertThat(peer.held()).as("writes stuck behind the stalled peer").isPositive();
        loop.advance(RtmpConnection.TEARDOWN_GRACE_MILLIS - 1);
        assertThat(ch.isOpen()).as("open during the grace").isTrue();

        // Then once the grace is over the channel is closed anyway, and the owner hears of it
        loop.advance(1);
        assertThat(ch.isOpen()).as("open after the grace").isFalse();
        assertThat(connection.closeFuture().isSuccess()).isTrue();
        assertThat(owner.closes).singleElement().extracting(Throwable::getMessage).isEqualTo("stopped");
    }

    @Test
    void closeBeforeThePublishIsAcceptedClosesWithoutTeardown() {
        EmbeddedChannel ch = opened();
        answerUntilPublish(ch, STREAM_ID);
        written(ch);

        connection.close(new RtmpPublishException("stopped", false));

        assertThat(written(ch)).isEmpty();
        assertThat(ch.isOpen()).isFalse();
        assertThat(connection.closeFuture().isSuccess()).isTrue();
    }

    @Test
    void closeBeforeTheHostIsResolvedEndsAtOnceAndNeverDials() {
        List<Runnable> resolving = new ArrayList<>();
        RtmpConnection c = connection(0, resolving::add);
        c.open();

        c.close(new RtmpPublishException("stopped", false));
        resolving.forEach(Runnable::run);
        loop.run();

        assertThat(c.closeFuture().isSuccess()).isTrue();
        assertThat(owner.closes).singleElement().extracting(Throwable::getMessage).isEqualTo("stopped");
        assertThat(dialer.dials()).isEmpty();
    }
}
