package io.camrelay.rtmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.rtmp.chunk.RtmpMessage;
import io.camrelay.rtmp.chunk.RtmpMessageTypes;
import io.camrelay.rtmp.handshake.RtmpHandshakeCompleted;
import io.camrelay.rtmp.message.RtmpByteCounter;
import io.camrelay.rtmp.message.RtmpCommand;
import io.camrelay.rtmp.message.RtmpControlHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The publish command sequence of docs/protocols.md A0/A3 and the refusals, on the message layer. */
class RtmpPublishHandlerTest {

    private static final String KEY = "live_123_SECRET";
    private static final RtmpUrl URL = RtmpUrl.parse("rtmp://ingest.example:1935/live/" + KEY);

    private final List<Integer> published = new ArrayList<>();
    private final List<RtmpPublishException> failures = new ArrayList<>();
    private final RtmpByteCounter counter = new RtmpByteCounter();
    private final EmbeddedChannel ch = new EmbeddedChannel(counter, new RtmpControlHandler(counter),
            new RtmpPublishHandler(URL, 4096, new RtmpPublishHandler.Events() {
                @Override
                public void published(Channel channel, int messageStreamId) {
                    published.add(messageStreamId);
                }

                @Override
                public void failed(Channel channel, RtmpPublishException cause) {
                    failures.add(cause);
                }

                @Override
                public void writable(Channel channel) {
                }
            }));

    private List<RtmpMessage> written() {
        List<RtmpMessage> out = new ArrayList<>();
        RtmpMessage m;
        while ((m = ch.readOutbound()) != null) {
            out.add(m);
        }
        return out;
    }

    private static RtmpCommand command(RtmpMessage m) {
        assertThat(m.typeId()).isEqualTo(RtmpMessageTypes.COMMAND_AMF0);
        return RtmpCommand.decode(m.payload());
    }

    private void reply(String name, double txn, Object... args) {
        ch.writeInbound(RtmpCommand.of(name, txn, null, args).toMessage(3, 0));
    }

    private static Map<String, Object> status(String level, String code, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", level);
        m.put("code", code);
        m.put("description", description);
        return m;
    }

    private void publishUntilStatus() {
        ch.pipeline().fireUserEventTriggered(RtmpHandshakeCompleted.INSTANCE);
        reply("_result", 1, status("status", "NetConnection.Connect.Success", "ok"));
        reply("_result", 4, 1.0);
        written();
    }

    @Test
    void sendsChunkSizeAndConnectThenCreateStreamThenPublishOnTheNewStream() {
        ch.pipeline().fireUserEventTriggered(RtmpHandshakeCompleted.INSTANCE);
        List<RtmpMessage> first = written();
        assertThat(first).hasSize(2);
        assertThat(first.get(0)).isEqualTo(new RtmpMessage(2, RtmpMessageTypes.SET_CHUNK_SIZE, 0, 0,
                new byte[] {0, 0, 0x10, 0}));
        RtmpCommand connect = command(first.get(1));
        assertThat(first.get(1).chunkStreamId()).isEqualTo(3);
        assertThat(connect.name()).isEqualTo("connect");
        assertThat(connect.transactionId()).isEqualTo(1.0);
        assertThat(connect.commandObject()).isEqualTo(Map.of("app", "live", "type", "nonprivate",
                "flashVer", "FMLE/3.0 (compatible; CamRelay)", "tcUrl", "rtmp://ingest.example:1935/live"));

        reply("_result", 1, status("status", "NetConnection.Connect.Success", "ok"));
        List<RtmpMessage> second = written();
        assertThat(second).extracting(m -> command(m).name())
                .containsExactly("releaseStream", "FCPublish", "createStream");
        assertThat(second).extracting(m -> command(m).transactionId()).containsExactly(2.0, 3.0, 4.0);
        assertThat(command(second.get(0)).arguments()).containsExactly(KEY);

        reply("_result", 4, 7.0);
        RtmpMessage publish = written().get(0);
        assertThat(publish.chunkStreamId()).isEqualTo(8);
        assertThat(publish.messageStreamId()).isEqualTo(7);
        assertThat(command(publish).name()).isEqualTo("publish");
        assertThat(command(publish).arguments()).containsExactly(KEY, "live");

        ch.writeInbound(RtmpCommand.of("onStatus", 0, null, status("status", "NetStream.Publish.Start", "go"))
                .toMessage(5, 7));
        assertThat(published).containsExactly(7);
        assertThat(failures).isEmpty();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void ignoresRefusalsOfReleaseStreamAndFcPublishAsFfmpegDoes() {
        ch.pipeline().fireUserEventTriggered(RtmpHandshakeCompleted.INSTANCE);
        reply("_result", 1, status("status", "NetConnection.Connect.Success", "ok"));

        reply("_error", 2, status("error", "NetStream.Failed", "no"));
        reply("_error", 3, status("error", "NetStream.Failed", "no"));

        assertThat(failures).isEmpty();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void badNameBecomesAClearErrorWithTheKeyMasked() {
        publishUntilStatus();

        ch.writeInbound(RtmpCommand.of("onStatus", 0, null,
                status("error", "NetStream.Publish.BadName", "Already publishing " + KEY)).toMessage(5, 1));

        assertThat(failures).singleElement().satisfies(e -> {
            assertThat(e.getMessage()).isEqualTo("server rejected publish (NetStream.Publish.BadName: Already "
                    + "publishing ****): another encoder is using stream key ****, or the key is not valid on this "
                    + "server");
            assertThat(e.rejected()).isTrue();
        });
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anyStatusWithLevelErrorIsFatal() {
        publishUntilStatus();

        ch.writeInbound(RtmpCommand.of("onStatus", 0, null,
                status("error", "NetStream.Publish.Denied", "not allowed")).toMessage(5, 1));

        assertThat(failures).singleElement().extracting(Throwable::getMessage).isEqualTo(
                "server rejected publish (NetStream.Publish.Denied: not allowed): check the stream key **** and the "
                + "server's log");
    }

    @Test
    void errorReplyToPublishNamesCodeAndDescription() {
        publishUntilStatus();

        reply("_error", 5, status("error", "NetStream.Publish.Failed", "quota"));

        assertThat(failures).singleElement().extracting(Throwable::getMessage).isEqualTo(
                "server rejected publish (NetStream.Publish.Failed: quota): check the stream key **** and the "
                + "server's log");
    }

    @Test
    void rejectedConnectNamesTheApplication() {
        ch.pipeline().fireUserEventTriggered(RtmpHandshakeCompleted.INSTANCE);

        reply("_error", 1, status("error", "NetConnection.Connect.Rejected", "[ AccessManager.Reject ] : unknown"));

        assertThat(failures).singleElement().extracting(Throwable::getMessage).isEqualTo(
                "server rejected connect (NetConnection.Connect.Rejected: [ AccessManager.Reject ] : unknown): check "
                + "the application 'live' in the URL and the server's access rules");
        assertThat(failures.get(0).getMessage()).doesNotContain(KEY);
    }

    @Test
    void answersPingRequestsWithTheSameData() {
        ch.writeInbound(new RtmpMessage(2, RtmpMessageTypes.USER_CONTROL, 0, 0, new byte[] {0, 6, 1, 2, 3, 4}));

        assertThat(written()).containsExactly(new RtmpMessage(2, RtmpMessageTypes.USER_CONTROL, 0, 0,
                new byte[] {0, 7, 1, 2, 3, 4}));
    }

    @Test
    void acknowledgesOnceHalfTheServerWindowHasArrived() {
        ch.writeInbound(new RtmpMessage(2, RtmpMessageTypes.WINDOW_ACK_SIZE, 0, 0, new byte[] {0, 0, 0x03, (byte) 0xE8}));
        assertThat(written()).isEmpty();

        ch.writeInbound(Unpooled.wrappedBuffer(new byte[600])); // counted, then passed on (released by the tail)

        ch.writeInbound(new RtmpMessage(2, RtmpMessageTypes.USER_CONTROL, 0, 0, new byte[] {0, 0, 0, 0, 0, 1}));
        assertThat(written()).containsExactly(new RtmpMessage(2, RtmpMessageTypes.ACKNOWLEDGEMENT, 0, 0,
                new byte[] {0, 0, 0x02, 0x58}));
    }

    @Test
    void malformedCommandFromTheServerFailsTheSessionNamingTheCause() {
        ch.pipeline().fireUserEventTriggered(RtmpHandshakeCompleted.INSTANCE);

        ch.writeInbound(new RtmpMessage(3, RtmpMessageTypes.COMMAND_AMF0, 0, 0, new byte[] {0x02, 0x00, 0x10, 'x'}));

        assertThat(failures).singleElement().extracting(Throwable::getMessage).asString()
                .startsWith("RTMP session with rtmp://ingest.example/live/**** failed during connect: malformed "
                        + "AMF0 command from the server: AMF0 input ends");
        assertThat(ch.isOpen()).isFalse();
    }
}
