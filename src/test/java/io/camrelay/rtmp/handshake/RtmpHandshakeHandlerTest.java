package io.camrelay.rtmp.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The plain handshake of RTMP 1.0 §5.2 as docs/protocols.md A1 recommends. */
class RtmpHandshakeHandlerTest {

    /** Records user events and bytes passed on after the handshake. */
    private static final class Next extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();
        final List<byte[]> bytes = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            bytes.add(ByteBufUtil.getBytes(b));
            b.release();
        }
    }

    private static byte[] read(EmbeddedChannel ch) {
        ByteBuf b = ch.readOutbound();
        byte[] out = ByteBufUtil.getBytes(b);
        b.release();
        return out;
    }

    private static byte[] s0s1s2() {
        byte[] b = new byte[1 + 1536 * 2];
        b[0] = 3;
        for (int i = 1; i < b.length; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    @Test
    void sendsC0C1ThenEchoesS1AsC2AndSignalsCompletionAfterS2() {
        Next next = new Next();
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpHandshakeHandler(), next);

        byte[] c0c1 = read(ch);
        assertThat(c0c1).hasSize(1537);
        assertThat(c0c1[0]).isEqualTo((byte) 3);
        assertThat(Arrays.copyOfRange(c0c1, 1, 9)).containsOnly(0); // time 0, zero 0

        byte[] server = s0s1s2();
        byte[] trailing = {0x02, 0x00};
        ch.writeInbound(Unpooled.wrappedBuffer(server, trailing));

        assertThat(read(ch)).isEqualTo(Arrays.copyOfRange(server, 1, 1537));
        assertThat(next.events).containsExactly(RtmpHandshakeCompleted.INSTANCE);
        assertThat(next.bytes).containsExactly(trailing);
        assertThat(ch.pipeline().get(RtmpHandshakeHandler.class)).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void completesWhenTheServerSendsOneByteAtATime() {
        Next next = new Next();
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpHandshakeHandler(), next);
        read(ch);

        for (byte b : s0s1s2()) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }

        assertThat(read(ch)).hasSize(1536);
        assertThat(next.events).containsExactly(RtmpHandshakeCompleted.INSTANCE);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void refusesAnotherVersionNamingIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpHandshakeHandler());
        read(ch);
        byte[] server = s0s1s2();
        server[0] = 6;

        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(server)))
                .isInstanceOf(RtmpHandshakeException.class)
                .hasMessage("server answered the handshake with RTMP version 6, expected 3 (plain RTMP; is the port "
                        + "right?)");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void givesUpWhenTheServerStaysSilent() throws Exception {
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpHandshakeHandler(50), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
        read(ch);

        TimeUnit.MILLISECONDS.sleep(80);
        ch.runPendingTasks();

        assertThat(errors).singleElement().isInstanceOf(RtmpHandshakeException.class)
                .extracting(Throwable::getMessage).asString()
                .startsWith("the server did not complete the RTMP handshake within 50 ms");
        assertThat(ch.isOpen()).isFalse();
    }
}
