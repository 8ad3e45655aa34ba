package io.camrelay.imageserver.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.media.GenericByteData;
import io.camrelay.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageServerDecoderTest {

    private static final String CRLF2 = "\r\n\r\n";
    /** docs/protocols.md §1.2: the connect reply. */
    private static final String CONNECT_OK = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodresponse><requestid>0"
            + "</requestid><methodname>connect</methodname><connected>yes</connected></methodresponse>" + CRLF2;
    /** docs/protocols.md §1.3: a livepackage saying the camera lost its recorder (item 5 = 1). */
    private static final String LIVE_PACKAGE = "<?xml version=\"1.0\" encoding=\"utf-8\"?><livepackage><status>"
            + "<statustime>1605074397121</statustime><statusitem id=\"1\" value=\"1\" /><statusitem id=\"5\" "
            + "value=\"1\" /></status></livepackage>" + CRLF2;
    private static final byte[] PACKET = GenericByteData.encode(VideoCodec.H264.id(), 7, true, 1_700_000_000_000L,
            1_700_000_000_040L, new byte[] {0, 0, 0, 1, 0x65, 1, 2, 3, 4, 5});

    /** docs/protocols.md §1.5: an ImageResponse carrying {@code body}. */
    private static byte[] imageResponse(byte[] body) {
        return concat(("ImageResponse\r\nRequestId: 1\r\nPrev: 1699999999960\r\nCurrent: 1700000000000\r\n"
                + "Next: 1700000000040\r\nPrivacyMask: none\r\nContent-length: " + body.length + "\r\n"
                + "Content-type: application/x-genericbytedata-octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                body, CRLF2.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] mixedStream() {
        return concat(CONNECT_OK.getBytes(StandardCharsets.UTF_8), imageResponse(PACKET),
                LIVE_PACKAGE.getBytes(StandardCharsets.UTF_8), imageResponse(PACKET));
    }

    @Test
    void decodesMethodResponseImageResponseAndLivePackageInOrder() {
        EmbeddedChannel channel = channel(ImageServerLimits.DEFAULTS);

        channel.writeInbound(Unpooled.wrappedBuffer(mixedStream()));

        assertMixedStream(drain(channel));
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void decodesTheSameMessagesWhateverByteTheStreamIsSplitAt() {
        byte[] stream = mixedStream();
        for (int split = 1; split < stream.length; split++) {
            EmbeddedChannel channel = channel(ImageServerLimits.DEFAULTS);

            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, 0, split)));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, split, stream.length)));

            assertMixedStream(drain(channel));
            assertThat(channel.finish()).as("split at %d", split).isFalse();
        }
    }

    @Test
    void decodesTheSameMessagesFedOneByteAtATime() {
        byte[] stream = mixedStream();
        EmbeddedChannel channel = channel(ImageServerLimits.DEFAULTS);

        for (byte b : stream) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }

        assertMixedStream(drain(channel));
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void matchesHeaderNamesWithoutRegardToCase() {
        byte[] lower = concat(("ImageResponse\r\ncontent-LENGTH: " + PACKET.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), PACKET, CRLF2.getBytes(StandardCharsets.US_ASCII));
        EmbeddedChannel channel = channel(ImageServerLimits.DEFAULTS);

        channel.writeInbound(Unpooled.wrappedBuffer(lower));

        ImageResponse image = channel.readInbound();
        assertThat(image.body()).isEqualTo(PACKET);
        assertThat(image.header("Content-Length")).isEqualTo(String.valueOf(PACKET.length));
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aPrivacyMaskHeaderOtherThanNoneInAnyCaseMeansAMask() {
        assertThat(masked("PrivacyMask: none\r\n")).isFalse();
        assertThat(masked("privacymask: NONE\r\n")).isFalse();
        assertThat(masked("")).as("no header: playback replies may leave it out").isFalse();
        assertThat(masked("PRIVACYMASK: grid;16x9;00ff\r\n")).isTrue();
        assertThat(masked("PrivacyMask: \r\n")).as("an empty value is not 'none'").isTrue();
    }

    private static boolean masked(String headerLine) {
        byte[] response = concat(("ImageResponse\r\n" + headerLine + "Content-length: " + PACKET.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), PACKET, CRLF2.getBytes(StandardCharsets.US_ASCII));
        EmbeddedChannel channel = channel(ImageServerLimits.DEFAULTS);
        channel.writeInbound(Unpooled.wrappedBuffer(response));
        ImageResponse image = channel.readInbound();
        assertThat(channel.finish()).isFalse();
        return image.privacyMasked();
    }

    @Test
    void rejectsContentLengthLargerThanLimit() {
        ImageServerLimits limits = new ImageServerLimits(PACKET.length - 1, 1024, 32, 65536);

        assertRejected(limits, imageResponse(PACKET), "Content-length " + PACKET.length
                + " is outside the allowed range (0 ~ " + (PACKET.length - 1) + ")");
    }

    @Test
    void rejectsHeaderLineLongerThanLimitBeforeItEnds() {
        byte[] start = ("ImageResponse\r\nX-Long: " + "a".repeat(100)).getBytes(StandardCharsets.US_ASCII);

        assertRejected(new ImageServerLimits(1024, 64, 32, 65536), start, "header line of");
    }

    @Test
    void rejectsMoreHeadersThanLimit() {
        byte[] many = ("ImageResponse\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nContent-length: 0\r\n\r\n\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        assertRejected(new ImageServerLimits(1024, 64, 3, 65536), many, "more than 3 header lines");
    }

    @Test
    void rejectsXmlDocumentLargerThanLimit() {
        byte[] xml = ("<methodresponse>" + "x".repeat(200)).getBytes(StandardCharsets.US_ASCII);

        assertRejected(new ImageServerLimits(1024, 64, 3, 100), xml, "XML document exceeds the allowed maximum of 100");
    }

    @Test
    void rejectsXmlNestedDeeperThanThirtyTwoElementsWithAProtocolError() {
        // Given a well-formed XML document of (almost) the largest size accepted, nested <a>: ~9,360 levels
        int levels = (ImageServerLimits.DEFAULT_MAX_XML_SIZE - CRLF2.length()) / 7;
        byte[] xml = ("<a>".repeat(levels) + "</a>".repeat(levels) + CRLF2).getBytes(StandardCharsets.US_ASCII);

        // Then it is refused as a framing error naming the limit, not a StackOverflowError on the event loop
        assertRejected(ImageServerLimits.DEFAULTS, xml, "ImageServer sent an XML document nested deeper than 32 "
                + "elements");
    }

    @Test
    void acceptsXmlNestedThirtyTwoElementsDeep() {
        EmbeddedChannel channel = channel(ImageServerLimits.DEFAULTS);
        String xml = "<a>".repeat(31) + "<b>deep</b>" + "</a>".repeat(31) + CRLF2;

        channel.writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.US_ASCII));

        XmlMessage message = channel.readInbound();
        assertThat(message.field("b")).contains("deep");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void rejectsFirstByteThatStartsNoMessage() {
        assertRejected(ImageServerLimits.DEFAULTS, new byte[] {0x00, 0x12, 0x34}, "unexpected first byte 0x00");
    }

    @Test
    void rejectsGarbageBetweenMessages() {
        byte[] stream = concat(CONNECT_OK.getBytes(StandardCharsets.UTF_8), "\r\nHello".getBytes(StandardCharsets.US_ASCII));
        EmbeddedChannel channel = channel(ImageServerLimits.DEFAULTS);

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(stream)))
                .isInstanceOf(ImageServerProtocolException.class).hasMessageContaining("unexpected first byte 0x0D");

        assertThat(channel.<Object>readInbound()).isInstanceOf(XmlMessage.class);
        assertClosedAndEmpty(channel);
    }

    @Test
    void rejectsBodyNotFollowedByTrailer() {
        byte[] image = imageResponse(PACKET);
        byte[] noTrailer = concat(Arrays.copyOf(image, image.length - 4), "IIII".getBytes(StandardCharsets.US_ASCII));

        assertRejected(ImageServerLimits.DEFAULTS, noTrailer, "expected the CR LF CR LF trailer");
    }

    @Test
    void rejectsHeaderLineWithoutNameValueForm() {
        assertRejected(ImageServerLimits.DEFAULTS, "ImageResponse\r\nContent-length 5\r\n\r\n".getBytes(
                StandardCharsets.US_ASCII), "'Content-length 5' has no 'Name: value' form");
    }

    @Test
    void rejectsImageResponseWithoutContentLength() {
        assertRejected(ImageServerLimits.DEFAULTS, "ImageResponse\r\nRequestId: 1\r\n\r\n".getBytes(
                StandardCharsets.US_ASCII), "without a Content-length");
    }

    @Test
    void rejectsContentLengthThatIsNotANumber() {
        assertRejected(ImageServerLimits.DEFAULTS, "ImageResponse\r\nContent-length: 12x\r\n\r\n".getBytes(
                StandardCharsets.US_ASCII), "Content-length '12x' is not a number");
    }

    @Test
    void rejectsMessageStartingWithIButNotImageResponse() {
        assertRejected(ImageServerLimits.DEFAULTS, "Image\r\n".getBytes(StandardCharsets.US_ASCII),
                "expected 'ImageResponse'");
    }

    @Test
    void refusesXmlWithDoctypeSoNoEntityIsExpanded() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<methodresponse><methodname>&e;</methodname></methodresponse>" + CRLF2;

        assertRejected(ImageServerLimits.DEFAULTS, xxe.getBytes(StandardCharsets.US_ASCII), "does not parse");
    }

    @Test
    void discardsEverythingAfterAFramingError() {
        byte[] badThenGood = concat(new byte[] {'x'}, CONNECT_OK.getBytes(StandardCharsets.UTF_8));

        assertRejected(ImageServerLimits.DEFAULTS, badThenGood, "unexpected first byte 0x78");
    }

    @Test
    void everyPrefixOfTheStreamDecodesWithoutErrorAndNothingMore() {
        byte[] stream = mixedStream();
        for (int length = 0; length <= stream.length; length++) {
            EmbeddedChannel channel = channel(ImageServerLimits.DEFAULTS);

            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(stream, length)));

            assertThat(drain(channel).size()).isLessThanOrEqualTo(4);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void randomInputEitherDecodesOrFailsWithTheProtocolException() {
        java.util.Random random = new java.util.Random(20261121);
        byte[] stream = mixedStream();
        for (int round = 0; round < 500; round++) {
            byte[] input = Arrays.copyOf(stream, stream.length);
            for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            EmbeddedChannel channel = channel(new ImageServerLimits(4096, 128, 16, 1024));
            try {
                channel.writeInbound(Unpooled.wrappedBuffer(input));
            } catch (ImageServerProtocolException expected) {
                assertThat(channel.isOpen()).isFalse();
            }
            drain(channel);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aSessionThatFellBehindHoldsOnlyItsPartialMessageNotTheReadsSinceTheLastDiscard() {
        // 20 KB pictures read 64 KB at a time (a loop that fell behind reads full buffers), so every read ends inside
        // a picture and the decoder always holds a partial one: what it keeps must stay about one read and one
        // picture. Netty's default discards the consumed bytes only every 16 reads and never shrinks the buffer —
        // 1 MB and more per session, kept for good: 300 such sessions exhausted CamRelay's direct memory.
        byte[] picture = imageResponse(GenericByteData.encode(VideoCodec.H264.id(), 7, false, 1_700_000_000_000L,
                1_700_000_000_040L, new byte[20_000]));
        int pictures = 400;
        byte[] stream = new byte[picture.length * pictures];
        for (int i = 0; i < pictures; i++) {
            System.arraycopy(picture, 0, stream, i * picture.length, picture.length);
        }
        EmbeddedChannel channel = channel(ImageServerLimits.DEFAULTS);
        ImageServerDecoder decoder = channel.pipeline().get(ImageServerDecoder.class);
        int largest = 0;
        int decoded = 0;
        int reads = 0;
        for (int at = 0; at < stream.length; at += 65_536) {
            int length = Math.min(65_536, stream.length - at);
            channel.writeOneInbound(channel.alloc().directBuffer(length).writeBytes(stream, at, length));
            if (++reads % 16 == 0) { // Netty's event loop reads up to 16 times a channel before its read completes
                channel.flushInbound();
            }
            largest = Math.max(largest, decoder.bufferedCapacity());
        }
        channel.flushInbound();
        decoded += drain(channel).size();

        assertThat(decoded).isEqualTo(pictures);
        assertThat(largest).as("the decoder's buffer, bytes").isLessThanOrEqualTo(256 * 1024);
        assertThat(channel.finish()).isFalse();
    }

    private static void assertRejected(ImageServerLimits limits, byte[] input, String message) {
        EmbeddedChannel channel = channel(limits);

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(input)))
                .isInstanceOf(ImageServerProtocolException.class).hasMessageContaining(message);

        assertClosedAndEmpty(channel);
    }

    private static void assertClosedAndEmpty(EmbeddedChannel channel) {
        assertThat(channel.isOpen()).as("channel closed after a framing error").isFalse();
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.finish()).isFalse();
    }

    private static void assertMixedStream(List<Object> messages) {
        assertThat(messages).hasSize(4);
        XmlMessage connect = (XmlMessage) messages.get(0);
        assertThat(connect.root()).isEqualTo(XmlMessage.METHOD_RESPONSE);
        assertThat(connect.methodName()).isEqualTo("connect");
        assertThat(connect.connected()).isTrue();
        ImageResponse image = (ImageResponse) messages.get(1);
        assertThat(image.body()).isEqualTo(PACKET);
        assertThat(image.header("current")).isEqualTo("1700000000000");
        assertThat(image.header("PrivacyMask")).isEqualTo("none");
        XmlMessage status = (XmlMessage) messages.get(2);
        assertThat(status.root()).isEqualTo(XmlMessage.LIVE_PACKAGE);
        assertThat(status.cameraDisconnected()).isTrue();
        assertThat(status.field("statustime")).contains("1605074397121");
        assertThat(messages.get(3)).isEqualTo(image);
    }

    private static EmbeddedChannel channel(ImageServerLimits limits) {
        return new EmbeddedChannel(new ImageServerDecoder(limits));
    }

    private static List<Object> drain(EmbeddedChannel channel) {
        List<Object> out = new ArrayList<>();
        for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
            out.add(m);
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
