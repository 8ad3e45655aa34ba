package io.camrelay.imageserver.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.camrelay.testing.FuzzContract;
import io.camrelay.testing.ShortFuzz;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target of the ImageServer decoder (docs/protocols.md §1.1, §1.5): headers, XML documents and bodies, delivered
 * in reads of the size the first byte chooses (0: all at once). For any input the decoder emits messages within its
 * limits and, on a framing error, throws {@link ImageServerProtocolException} (nothing else, nothing wrapped) and
 * closes the channel; it holds no buffer afterwards (leak detection) and never more than one message's worth within
 * its limits plus the last read.
 */
class ImageServerDecoderFuzzTest {

    /** Small limits, so that the fuzzer reaches them. */
    static final ImageServerLimits LIMITS = new ImageServerLimits(4096, 128, 8, 2048);

    /** The most one message can make the decoder hold: the largest body or header block or XML document. */
    static final int MAX_MESSAGE = Math.max(LIMITS.maxContentLength() + 4, Math.max(LIMITS.maxXmlSize(),
            (LIMITS.maxHeaders() + 1) * (LIMITS.maxHeaderLine() + 2) + 2));

    // Memory is checked as what the decoder holds: the leak detector's records (PARANOID in tests) swamp allocation.
    static final FuzzContract CONTRACT = FuzzContract.of("ImageServerDecoder", Long.MAX_VALUE / 2, 0,
            ImageServerDecoderFuzzTest::decode, ImageServerProtocolException.class);

    private static void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int read = (input[0] & 0xFF) == 0 ? input.length : input[0] & 0xFF;
        ImageServerDecoder decoder = new ImageServerDecoder(LIMITS);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        try {
            for (int at = 1; at < input.length; at += read) {
                try {
                    channel.writeInbound(Unpooled.wrappedBuffer(input, at, Math.min(read, input.length - at)));
                } catch (ImageServerProtocolException e) {
                    FuzzContract.require(!channel.isOpen(), "channel left open after " + e.getMessage(), input);
                    throw e;
                } catch (RuntimeException e) {
                    throw new AssertionError("ImageServerDecoder threw " + e + " (cause " + e.getCause() + ")", e);
                }
                FuzzContract.require(decoder.buffered() <= MAX_MESSAGE + read, "decoder holds " + decoder.buffered()
                        + " bytes", input);
                for (Object m; (m = channel.readInbound()) != null; ) {
                    if (m instanceof ImageResponse image) {
                        FuzzContract.require(image.body().length <= LIMITS.maxContentLength(), "body of "
                                + image.body().length + " bytes", input);
                    } else {
                        FuzzContract.require(m instanceof XmlMessage, "emitted " + m, input);
                    }
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @FuzzTest
    void imageServerDecoder(byte[] input) {
        CONTRACT.check(input);
    }

    @Test
    void mutationsOfTheStoredCorpusKeepTheContract() {
        // each run is an EmbeddedChannel with PARANOID leak tracking of every byte read: fewer runs
        ShortFuzz.run(getClass(), "imageServerDecoder", CONTRACT, ShortFuzz.DEFAULT_EXECUTIONS / 20);
    }
}
