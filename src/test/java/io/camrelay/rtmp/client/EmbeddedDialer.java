package io.camrelay.rtmp.client;

import io.camrelay.rtmp.chunk.RtmpMessage;
import io.camrelay.rtmp.chunk.RtmpMessageTypes;
import io.camrelay.rtmp.handshake.RtmpHandshakeCompleted;
import io.camrelay.rtmp.message.RtmpCommand;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Connections on {@link EmbeddedChannel}s: each dial is recorded with its time, and the test plays the server by
 * scripting replies on the channel (the pipeline holds only the session handler, so what the session writes comes out
 * as {@link RtmpMessage}s).
 */
final class EmbeddedDialer implements RtmpConnection.Dialer {

    /** One connection attempt: when, where, and its channel. */
    record Dial(long millis, InetSocketAddress address, EmbeddedChannel channel) {
    }

    private final LongSupplier millis;
    private final List<Dial> dials = new ArrayList<>();
    private boolean refusing;

    /** @param millis the time dials are recorded at */
    EmbeddedDialer(LongSupplier millis) {
        this.millis = millis;
    }

    /** From now on connections are refused (as by a closed port), or accepted again. */
    void refuse(boolean refuse) {
        refusing = refuse;
    }

    @Override
    public ChannelFuture dial(InetSocketAddress address, RtmpPublishHandler session) {
        EmbeddedChannel ch = new EmbeddedChannel(session);
        dials.add(new Dial(millis.getAsLong(), address, ch));
        return refusing ? ch.newFailedFuture(new ConnectException("Connection refused")) : ch.newSucceededFuture();
    }

    List<Dial> dials() {
        return List.copyOf(dials);
    }

    /** The channel of the latest dial. */
    EmbeddedChannel last() {
        return dials.get(dials.size() - 1).channel();
    }

    /** The gaps between consecutive dials, ms. */
    List<Long> gaps() {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < dials.size(); i++) {
            out.add(dials.get(i).millis() - dials.get(i - 1).millis());
        }
        return out;
    }

    void releaseAll() {
        dials.forEach(d -> d.channel().finishAndReleaseAll());
    }

    // ---- the server's side (docs/protocols.md A3) ----

    /** Handshake done, connect and createStream answered; the publish is left unanswered. */
    static void answerUntilPublish(EmbeddedChannel ch, int streamId) {
        ch.pipeline().fireUserEventTriggered(RtmpHandshakeCompleted.INSTANCE);
        ch.writeInbound(RtmpCommand.of("_result", RtmpPublishHandler.TXN_CONNECT, null,
                status("status", "NetConnection.Connect.Success", "ok")));
        ch.writeInbound(RtmpCommand.of("_result", RtmpPublishHandler.TXN_CREATE_STREAM, null, (double) streamId));
    }

    /** The whole sequence, ending with NetStream.Publish.Start on {@code streamId}. */
    static void acceptPublish(EmbeddedChannel ch, int streamId) {
        answerUntilPublish(ch, streamId);
        ch.writeInbound(RtmpCommand.of("onStatus", 0, null, status("status", RtmpPublishHandler.PUBLISH_START, "go")));
    }

    /** The sequence up to publish, which is refused as nginx refuses a key in use. */
    static void refusePublish(EmbeddedChannel ch, int streamId) {
        answerUntilPublish(ch, streamId);
        ch.writeInbound(RtmpCommand.of("onStatus", 0, null,
                status("error", "NetStream.Publish.BadName", "Already publishing")));
    }

    static Map<String, Object> status(String level, String code, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", level);
        m.put("code", code);
        m.put("description", description);
        return m;
    }

    /** What the session wrote since the last call (RTMP messages; the empty buffer that ends a stop is skipped). */
    static List<RtmpMessage> written(EmbeddedChannel ch) {
        List<RtmpMessage> out = new ArrayList<>();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            if (o instanceof RtmpMessage m) {
                out.add(m);
            }
        }
        return out;
    }

    /** The names of the commands among {@code messages}. */
    static List<String> commands(List<RtmpMessage> messages) {
        return messages.stream().filter(m -> m.typeId() == RtmpMessageTypes.COMMAND_AMF0)
                .map(m -> RtmpCommand.decode(m.payload()).name()).toList();
    }

    /** The media and data messages among {@code messages} (audio, video, script). */
    static List<RtmpMessage> media(List<RtmpMessage> messages) {
        return messages.stream().filter(m -> m.typeId() == RtmpMessageTypes.AUDIO
                || m.typeId() == RtmpMessageTypes.VIDEO || m.typeId() == RtmpMessageTypes.DATA_AMF0).toList();
    }
}
