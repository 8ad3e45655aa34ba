package io.camrelay.rtmp.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Chunk headers fmt 0-3, extended timestamps, splitting and reassembly, limits (RTMP 1.0 §5.3). */
class RtmpChunkCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    private static RtmpMessage msg(int csid, int type, long ts, int msid, int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) i;
        }
        return new RtmpMessage(csid, type, ts, msid, p);
    }

    /** Encodes messages in order on one encoder and returns the bytes. */
    private static byte[] encode(RtmpMessage... messages) {
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkEncoder());
        for (RtmpMessage m : messages) {
            ch.writeOutbound(m);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        assertThat(ch.finish()).isFalse();
        return out.toByteArray();
    }

    private static List<RtmpMessage> decode(EmbeddedChannel ch) {
        List<RtmpMessage> out = new ArrayList<>();
        RtmpMessage m;
        while ((m = ch.readInbound()) != null) {
            out.add(m);
        }
        return out;
    }

    @Test
    void firstMessageOnAChunkStreamGetsAFullFmt0Header() {
        byte[] bytes = encode(msg(3, 20, 1000, 1, 3));

        // fmt 0 csid 3 | ts 0003E8 | length 000003 | type 14 | msid 01000000 (little-endian) | payload
        assertThat(HEX.formatHex(bytes)).isEqualTo("03" + "0003e8" + "000003" + "14" + "01000000" + "000102");
    }

    @Test
    void followingMessagesUseFmt2ThenFmt3ThenFmt1AsTheirHeadersAllow() {
        byte[] bytes = encode(msg(6, 9, 1000, 1, 2), msg(6, 9, 1040, 1, 2), msg(6, 9, 1080, 1, 2),
                msg(6, 9, 1120, 1, 4));

        assertThat(HEX.formatHex(bytes)).isEqualTo(
                "06" + "0003e8" + "000002" + "09" + "01000000" + "0001" // fmt 0
                + "86" + "000028" + "0001"                             // fmt 2: delta 40
                + "c6" + "0001"                                        // fmt 3: same delta again
                + "46" + "000028" + "000004" + "09" + "00010203");     // fmt 1: new length
    }

    @Test
    void timestampGoingBackOrNewStreamIdForcesFmt0() {
        byte[] bytes = encode(msg(4, 8, 500, 1, 1), msg(4, 8, 400, 1, 1), msg(4, 8, 400, 2, 1));

        assertThat(bytes[0] & 0xFF).isEqualTo(0x04);
        assertThat(bytes).hasSize(3 * 13);
        assertThat(bytes[13] & 0xFF).isEqualTo(0x04);
        assertThat(bytes[26] & 0xFF).isEqualTo(0x04);
    }

    @Test
    void messageLongerThanTheChunkSizeIsSplitWithFmt3Continuations() {
        byte[] bytes = encode(msg(3, 20, 0, 0, 300));

        // default chunk size 128: 12-byte header + 128, C3 + 128, C3 + 44
        assertThat(bytes).hasSize(12 + 128 + 1 + 128 + 1 + 44);
        assertThat(bytes[12 + 128] & 0xFF).isEqualTo(0xC3);
        assertThat(bytes[12 + 128 + 1 + 128] & 0xFF).isEqualTo(0xC3);
    }

    @Test
    void aPayloadWrittenInPiecesIsChunkedByteForByteAsTheSameBytesInOneArray() {
        // Given a 1000-byte payload held as pieces of 5, 300, 4 and 691 bytes (a picture's header, NAL lengths, NAL
        // units), and the same bytes in one array
        RtmpMessage whole = msg(6, 9, 40, 1, 1000);
        byte[] bytes = whole.payload();
        int[] cuts = {0, 5, 305, 309, 1000};
        RtmpMessage pieces = new RtmpMessage(6, 9, 40, 1, 1000, (from, length, out) -> {
            for (int i = 0; i + 1 < cuts.length; i++) { // each piece's part inside [from, from + length)
                int lo = Math.max(from, cuts[i]);
                int hi = Math.min(from + length, cuts[i + 1]);
                if (lo < hi) {
                    out.writeBytes(bytes, lo, hi - lo);
                }
            }
        });

        // Then both encode to the same chunks (chunk boundaries at 128, 256 ... fall inside and between pieces), and
        // the pieces' message reads back as the same payload
        assertThat(HEX.formatHex(encode(pieces))).isEqualTo(HEX.formatHex(encode(whole)));
        assertThat(pieces.payloadLength()).isEqualTo(1000);
        assertThat(pieces).isEqualTo(whole);
    }

    @Test
    void outgoingSetChunkSizeSwitchesTheEncoderAfterItself() {
        byte[] setChunkSize = {0, 0, 0x10, 0};
        byte[] bytes = encode(new RtmpMessage(2, RtmpMessageTypes.SET_CHUNK_SIZE, 0, 0, setChunkSize),
                msg(3, 20, 0, 0, 300));

        assertThat(bytes).hasSize(12 + 4 + 12 + 300);
    }

    @Test
    void extendedTimestampIsWrittenInTheHeaderAndRepeatedInEveryContinuationChunk() {
        byte[] bytes = encode(msg(6, 9, 0x01000000L, 1, 200));

        String hex = HEX.formatHex(bytes);
        assertThat(hex).startsWith("06" + "ffffff" + "0000c8" + "09" + "01000000" + "01000000");
        int continuation = 1 + 11 + 4 + 128;
        assertThat(hex.substring(continuation * 2, (continuation + 5) * 2)).isEqualTo("c6" + "01000000");
        assertThat(bytes).hasSize(1 + 11 + 4 + 128 + 1 + 4 + 72);
    }

    @Test
    void extendedDeltaCrossingTheBoundaryUsesAnAbsoluteHeaderOnlyWhenNeeded() {
        RtmpMessage before = msg(6, 9, 0xFFFFF0L, 1, 10);
        RtmpMessage after = msg(6, 9, 0x1000010L, 1, 10);

        byte[] bytes = encode(before, after);
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder());
        dec.writeInbound(Unpooled.wrappedBuffer(bytes));

        assertThat(decode(dec)).containsExactly(before, after);
        assertThat(dec.finish()).isFalse();
    }

    @Test
    void longChunkStreamIdsUseTheTwoAndThreeByteForms() {
        byte[] two = encode(msg(64 + 5, 20, 0, 0, 1));
        byte[] three = encode(msg(64 + 300, 20, 0, 0, 1));

        assertThat(HEX.formatHex(two, 0, 2)).isEqualTo("0005");
        assertThat(HEX.formatHex(three, 0, 3)).isEqualTo("012c01");
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder());
        dec.writeInbound(Unpooled.wrappedBuffer(two), Unpooled.wrappedBuffer(three));
        assertThat(decode(dec)).extracting(RtmpMessage::chunkStreamId).containsExactly(69, 364);
        assertThat(dec.finish()).isFalse();
    }

    @Test
    void randomMessagesRoundTripEvenWhenFedOneByteAtATime() {
        Random random = new Random(7);
        List<RtmpMessage> messages = new ArrayList<>();
        messages.add(new RtmpMessage(2, RtmpMessageTypes.SET_CHUNK_SIZE, 0, 0, new byte[] {0, 0, 0, 100}));
        long[] ts = new long[70];
        for (int i = 0; i < 300; i++) {
            int csid = 3 + random.nextInt(6) + (random.nextInt(10) == 0 ? 300 : 0);
            ts[csid % 70] += random.nextInt(4) == 0 ? 0x1000000L : random.nextInt(50);
            ts[csid % 70] &= 0xFFFFFFFFL;
            byte[] p = new byte[random.nextInt(3) == 0 ? random.nextInt(1000) : 20];
            random.nextBytes(p);
            messages.add(new RtmpMessage(csid, 8 + random.nextInt(2), ts[csid % 70], 1, p));
        }
        byte[] bytes = encode(messages.toArray(RtmpMessage[]::new));

        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder(1000, 1024));
        for (byte b : bytes) {
            dec.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }

        assertThat(decode(dec)).containsExactlyElementsOf(messages);
        assertThat(dec.finish()).isFalse();
    }

    @Test
    void peerSetChunkSizeAppliesToTheChunksRightAfterItInTheSameRead() {
        byte[] setChunkSize = {0, 0, 0x10, 0};
        RtmpMessage big = msg(3, 20, 0, 0, 3000);
        byte[] bytes = encode(new RtmpMessage(2, RtmpMessageTypes.SET_CHUNK_SIZE, 0, 0, setChunkSize), big);

        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder());
        dec.writeInbound(Unpooled.wrappedBuffer(bytes));

        assertThat(decode(dec)).hasSize(2).last().isEqualTo(big);
        assertThat(((RtmpChunkDecoder) dec.pipeline().first()).chunkSize()).isEqualTo(4096);
        assertThat(dec.finish()).isFalse();
    }

    @Test
    void fmt3NewMessageRepeatsTheLastDelta() {
        // fmt 0 at 100, fmt 2 delta 20 -> 120, fmt 3 (new message, same length) -> 140
        byte[] bytes = HEX.parseHex("04" + "000064" + "000001" + "08" + "01000000" + "aa"
                + "84" + "000014" + "bb"
                + "c4" + "cc");
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder());
        dec.writeInbound(Unpooled.wrappedBuffer(bytes));

        assertThat(decode(dec)).extracting(RtmpMessage::timestamp).containsExactly(100L, 120L, 140L);
        assertThat(dec.finish()).isFalse();
    }

    @Test
    void rejectsAMessageLargerThanTheLimitAndClosesTheConnection() {
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder(1000, 1024));
        ByteBuf header = Unpooled.wrappedBuffer(HEX.parseHex("03" + "000000" + "0003e9" + "14" + "00000000"));

        assertThatThrownBy(() -> dec.writeInbound(header)).isInstanceOf(RtmpProtocolException.class)
                .hasMessage("message of 1001 bytes (type 20) on chunk stream 3 exceeds the maximum of 1000 bytes");
        assertThat(dec.isOpen()).isFalse();
        assertThat(dec.finish()).isFalse();
    }

    @Test
    void rejectsAChunkStreamIdAboveTheLimit() {
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder(1000, 100));

        assertThatThrownBy(() -> dec.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("0040"))))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessage("chunk stream id 128 exceeds the maximum of 100");
        assertThat(dec.isOpen()).isFalse();
    }

    @Test
    void rejectsAnInvalidChunkSizeFromThePeer() {
        byte[] zero = encode(new RtmpMessage(2, RtmpMessageTypes.SET_CHUNK_SIZE, 0, 0, new byte[4]));
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder());

        assertThatThrownBy(() -> dec.writeInbound(Unpooled.wrappedBuffer(zero)))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessage("peer set chunk size 0, outside the accepted 1..16777216 (RTMP 1.0 §5.4.1)");
        assertThat(dec.isOpen()).isFalse();
    }

    @Test
    void rejectsACompressedHeaderWithoutAPreviousFullOne() {
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder());

        assertThatThrownBy(() -> dec.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("43000000000001"))))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageStartingWith("received a fmt 1 chunk on chunk stream 3 without a previous fmt 0 header");
    }

    @Test
    void rejectsANewHeaderWhileAMessageIsStillIncomplete() {
        byte[] first = HEX.parseHex("03" + "000000" + "000100" + "14" + "00000000");
        byte[] chunk = new byte[128];
        byte[] second = HEX.parseHex("03" + "000000" + "000001" + "14" + "00000000" + "00");
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder());
        dec.writeInbound(Unpooled.wrappedBuffer(first, chunk));

        assertThatThrownBy(() -> dec.writeInbound(Unpooled.wrappedBuffer(second)))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessage("new fmt 0 header on chunk stream 3 while 128 bytes of the previous message were still "
                        + "to come");
    }

    @Test
    void abortDiscardsThePartialMessage() {
        byte[] partial = HEX.parseHex("03" + "000000" + "000100" + "14" + "00000000");
        byte[] abort = HEX.parseHex("02" + "000000" + "000004" + "02" + "00000000" + "00000003");
        byte[] fresh = HEX.parseHex("03" + "000000" + "000001" + "14" + "00000000" + "07");
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder());

        dec.writeInbound(Unpooled.wrappedBuffer(partial, new byte[128], abort, fresh));

        List<RtmpMessage> out = decode(dec);
        assertThat(out).extracting(RtmpMessage::typeId).containsExactly(RtmpMessageTypes.ABORT, 20);
        assertThat(out.get(1).payload()).containsExactly(7);
        assertThat(dec.finish()).isFalse();
    }

    /** Bytes allocated by this thread so far (HotSpot's per-thread counter). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    /** The peer sets its chunk size to {@code size}. */
    private static void setChunkSize(EmbeddedChannel dec, int size) {
        dec.writeInbound(Unpooled.wrappedBuffer(encode(new RtmpMessage(2, RtmpMessageTypes.SET_CHUNK_SIZE, 0, 0,
                new byte[] {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size}))));
        assertThat(decode(dec)).hasSize(1);
    }

    /** A fmt 0 chunk opening a message of {@code length} bytes (type 20) on {@code csid}, with its first byte. */
    private static ByteBuf openingChunk(int csid, int length) {
        ByteBuf b = Unpooled.buffer();
        if (csid < 64) {
            b.writeByte(csid); // fmt 0, 1-byte basic header
        } else {
            b.writeByte(1).writeShortLE(csid - 64); // fmt 0, 3-byte basic header (§5.3.1.1)
        }
        return b.writeMedium(0).writeMedium(length).writeByte(20).writeIntLE(0).writeByte(0);
    }

    @Test
    void refusesAServerOpeningLargeMessagesOnManyChunkStreamsBeforeEightMebibytesAreHeld() {
        // Given a server that sets chunk size 1 and then opens a 1 MiB message on every chunk stream, one byte each
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder());
        try {
            setChunkSize(dec, 1);
            long before = allocatedBytes();
            RtmpProtocolException refused = null;
            // When the chunks arrive (about 14 KB of input for all of 3..1024)
            for (int csid = 3; csid <= 1024 && refused == null; csid++) {
                try {
                    dec.writeInbound(openingChunk(csid, 1024 * 1024));
                } catch (RtmpProtocolException e) {
                    refused = e;
                }
                assertThat(allocatedBytes() - before).as("bytes allocated after opening messages on chunk streams 3.."
                        + csid).isLessThan(8L * 1024 * 1024);
            }

            // Then the connection is refused with a protocol error naming the limit, long before chunk stream 1024
            assertThat(refused).as("refused before chunk stream 1024").isNotNull();
            assertThat(refused.getMessage()).isEqualTo("more than 16 messages in progress at once (chunk stream 19 "
                    + "opened another); the server interleaves too many chunk streams");
            assertThat(dec.isOpen()).isFalse();
        } finally {
            dec.finishAndReleaseAll();
        }
    }

    @Test
    void growsThePartialMessageAsItsBytesArrive() {
        // Given a decoder taking messages of up to 16 MiB at chunk size 4096, warmed up with a 4096-byte message
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder(RtmpMessage.MAX_LENGTH, 1024));
        try {
            setChunkSize(dec, 4096);
            dec.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("03" + "000000" + "001000" + "14" + "00000000"),
                    new byte[4096]));
            decode(dec);
            long before = allocatedBytes();

            // When the first 4096-byte chunk of a 16 MiB message arrives
            dec.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("04" + "000000" + "ffffff" + "14" + "00000000"),
                    new byte[4096]));

            // Then the decoder holds about what arrived, not what the header declared
            assertThat(allocatedBytes() - before).isLessThan(1024 * 1024);
        } finally {
            dec.finishAndReleaseAll();
        }
    }

    @Test
    void refusesPartialMessagesHoldingMoreThanTwiceTheMessageLimit() {
        // Given a limit of 1000-byte messages (so 2000 bytes pending) and a chunk size of 900
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder(1000, 1024));
        try {
            setChunkSize(dec, 900);

            // When three 1000-byte messages each get their first 900 bytes
            dec.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("03000000" + "0003e8" + "14" + "00000000"),
                    new byte[900]));
            dec.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("04000000" + "0003e8" + "14" + "00000000"),
                    new byte[900]));
            ByteBuf third = Unpooled.wrappedBuffer(HEX.parseHex("05000000" + "0003e8" + "14" + "00000000"),
                    new byte[900]);

            // Then the third is refused, naming what would be held and the limit
            assertThatThrownBy(() -> dec.writeInbound(third)).isInstanceOf(RtmpProtocolException.class)
                    .hasMessage("partial messages would hold 2700 bytes, more than the maximum of 2000 (twice "
                            + "maxIncomingMessageSize); the server interleaves too many large messages");
            assertThat(dec.isOpen()).isFalse();
        } finally {
            dec.finishAndReleaseAll();
        }
    }

    @Test
    void completedAndAbortedMessagesNoLongerCountAsInProgress() {
        // Given the limit of 16 messages in progress, with a chunk size of 1
        EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder());
        try {
            setChunkSize(dec, 1);

            // When 16 two-byte messages are opened and completed, and 16 more are opened and aborted, 100 times
            for (int round = 0; round < 100; round++) {
                for (int csid = 3; csid < 19; csid++) {
                    dec.writeInbound(openingChunk(csid, 2), Unpooled.wrappedBuffer(new byte[] {(byte) (0xC0 | csid),
                            7}));
                }
                for (int csid = 3; csid < 19; csid++) {
                    // Abort (type 2) naming csid, on chunk stream 2 in 1-byte chunks
                    dec.writeInbound(openingChunk(csid, 2), Unpooled.wrappedBuffer(HEX.parseHex("02000000" + "000004"
                            + "02" + "00000000" + "00" + "c200" + "c200" + String.format("c2%02x", csid))));
                }
            }

            // Then every completed message came out and the connection is still open
            assertThat(decode(dec)).filteredOn(m -> m.typeId() == 20).hasSize(1600);
            assertThat(dec.isOpen()).isTrue();
        } finally {
            dec.finishAndReleaseAll();
        }
    }

    @Test
    void randomOrTruncatedInputDecodesOrFailsWithTheProtocolExceptionOnly() {
        byte[] valid = encode(msg(3, 20, 0, 0, 300), msg(3, 20, 40, 0, 300), msg(6, 9, 0x1000000L, 1, 200));
        Random random = new Random(3);
        for (int round = 0; round < 500; round++) {
            byte[] input = round < valid.length ? java.util.Arrays.copyOf(valid, round) : valid.clone();
            if (round >= valid.length) {
                for (int i = 0; i < 3; i++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            EmbeddedChannel dec = new EmbeddedChannel(new RtmpChunkDecoder(4096, 1024));
            try {
                dec.writeInbound(Unpooled.wrappedBuffer(input));
            } catch (RtmpProtocolException expected) {
                assertThat(dec.isOpen()).isFalse();
            }
            decode(dec);
            dec.finishAndReleaseAll();
        }
    }
}
