package io.camrelay.rtmp.chunk;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.camrelay.rtmp.message.RtmpByteCounter;
import io.camrelay.rtmp.message.RtmpCommand;
import io.camrelay.rtmp.message.RtmpControlHandler;
import io.camrelay.testing.FuzzContract;
import io.camrelay.testing.ShortFuzz;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target of what a server's bytes go through after the handshake (RTMP 1.0 §5.3, §5.4, §7.1; docs/protocols.md
 * A2, A3): the chunk decoder, the control handler (acks, pings, window size) and AMF0 command decoding, in reads of
 * the size the first byte chooses (0: all at once). For any input the only failure is an {@link RtmpProtocolException}
 * (after a framing error the connection is closed), no message exceeds the limit, and the decoder never holds more
 * than twice the message limit plus one chunk and the last read.
 */
class RtmpChunkDecoderFuzzTest {

    static final int MAX_MESSAGE = 4096;
    /** Partial messages, plus one chunk of the largest message with the longest headers (3 + 11 + 4 bytes). */
    static final long MAX_HELD = RtmpChunkDecoder.PENDING_BYTES_PER_MESSAGE_SIZE * (long) MAX_MESSAGE + MAX_MESSAGE + 18;

    // Memory is checked as what the decoder holds: the leak detector's records (PARANOID in tests) swamp allocation.
    static final FuzzContract CONTRACT = FuzzContract.of("RtmpChunkDecoder/RtmpControlHandler/RtmpCommand",
            Long.MAX_VALUE / 2, 0, RtmpChunkDecoderFuzzTest::decode, RtmpProtocolException.class);

    private static void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int read = (input[0] & 0xFF) == 0 ? input.length : input[0] & 0xFF;
        RtmpByteCounter counter = new RtmpByteCounter();
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(MAX_MESSAGE, RtmpChunkDecoder.DEFAULT_MAX_CHUNK_STREAM_ID);
        EmbeddedChannel channel = new EmbeddedChannel(counter, decoder, new SizeCheck(input),
                new RtmpControlHandler(counter));
        try {
            for (int at = 1; at < input.length; at += read) {
                try {
                    channel.writeInbound(Unpooled.wrappedBuffer(input, at, Math.min(read, input.length - at)));
                } catch (RtmpProtocolException e) {
                    boolean command = e.getMessage().contains("AMF0 command");
                    FuzzContract.require(command || !channel.isOpen(), "channel left open after " + e.getMessage(),
                            input);
                    throw e;
                } catch (RuntimeException e) {
                    throw new AssertionError("the RTMP layers threw " + e + " (cause " + e.getCause() + ")", e);
                }
                FuzzContract.require(decoder.heldBytes() <= MAX_HELD + read, "decoder holds " + decoder.heldBytes()
                        + " bytes", input);
                for (Object m; (m = channel.readInbound()) != null; ) {
                    FuzzContract.require(m instanceof RtmpCommand, "passed on " + m, input);
                }
                while (channel.readOutbound() != null) {
                    // pong and acknowledgement messages the control handler wrote
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** Checks every message the decoder emits against the limit. */
    private static final class SizeCheck extends ChannelInboundHandlerAdapter {
        private final byte[] input;

        SizeCheck(byte[] input) {
            this.input = input;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            FuzzContract.require(msg instanceof RtmpMessage m && m.payload().length <= MAX_MESSAGE, "decoded " + msg,
                    input);
            ctx.fireChannelRead(msg);
        }
    }

    @FuzzTest
    void rtmpChunksAndMessages(byte[] input) {
        CONTRACT.check(input);
    }

    @Test
    void mutationsOfTheStoredCorpusKeepTheContract() {
        // each run is an EmbeddedChannel with PARANOID leak tracking of every byte read: fewer runs
        ShortFuzz.run(getClass(), "rtmpChunksAndMessages", CONTRACT, ShortFuzz.DEFAULT_EXECUTIONS / 10);
    }
}
