package io.camrelay.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledFuture;

/**
 * Client side of the plain RTMP handshake (RTMP 1.0 §5.2; docs/protocols.md A1): sends C0+C1 (time 0, zero 0, random) when
 * the channel becomes active, answers S1 with C2 = S1 verbatim, reads S2 without validating it (as OBS and FFmpeg
 * do), then fires {@link RtmpHandshakeCompleted} and removes itself; bytes after S2 go on to the next handler.
 */
public final class RtmpHandshakeHandler extends ByteToMessageDecoder {

    /** §5.2.2: C0/S0 version of plain RTMP. */
    public static final int RTMP_VERSION = 3;
    /** §5.2.3: size of C1/S1/C2/S2. */
    public static final int HANDSHAKE_SIZE = 1536;
    /** docs/protocols.md A1: give up when the server has not completed the handshake within 10 s. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

    private enum State { AWAIT_S0_S1, AWAIT_S2, DONE }

    private final long timeoutMillis;
    private State state = State.AWAIT_S0_S1;
    private ScheduledFuture<?> timeout;

    /** A handshake giving up after {@link #DEFAULT_TIMEOUT_MILLIS}. */
    public RtmpHandshakeHandler() {
        this(DEFAULT_TIMEOUT_MILLIS);
    }

    /** A handshake giving up after {@code timeoutMillis}. */
    public RtmpHandshakeHandler(long timeoutMillis) {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("handshake timeout must be positive: " + timeoutMillis);
        }
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf c0c1 = ctx.alloc().buffer(1 + HANDSHAKE_SIZE);
        c0c1.writeByte(RTMP_VERSION);
        c0c1.writeInt(0); // time
        c0c1.writeInt(0); // zero
        byte[] random = new byte[HANDSHAKE_SIZE - 8];
        ThreadLocalRandom.current().nextBytes(random);
        c0c1.writeBytes(random);
        ctx.writeAndFlush(c0c1);
        timeout = ctx.executor().schedule(() -> {
            if (state != State.DONE) {
                ctx.fireExceptionCaught(new RtmpHandshakeException("the server did not complete the RTMP handshake "
                        + "within " + timeoutMillis + " ms (state " + state + "); is this an RTMP server? For "
                        + "rtmps:// the server must speak TLS, for rtmp:// plain TCP"));
                ctx.close();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.AWAIT_S0_S1) {
            if (in.readableBytes() < 1 + HANDSHAKE_SIZE) {
                return;
            }
            int version = in.readUnsignedByte();
            if (version != RTMP_VERSION) {
                state = State.DONE;
                cancelTimeout();
                in.skipBytes(in.readableBytes());
                ctx.close();
                throw new RtmpHandshakeException("server answered the handshake with RTMP version " + version
                        + ", expected " + RTMP_VERSION + " (plain RTMP; is the port right?)");
            }
            ctx.writeAndFlush(in.readRetainedSlice(HANDSHAKE_SIZE)); // C2 = S1 (§5.2.4)
            state = State.AWAIT_S2;
        }
        if (state == State.AWAIT_S2 && in.readableBytes() >= HANDSHAKE_SIZE) {
            in.skipBytes(HANDSHAKE_SIZE);
            state = State.DONE;
            cancelTimeout();
            ctx.fireUserEventTriggered(RtmpHandshakeCompleted.INSTANCE);
            ctx.pipeline().remove(this);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
