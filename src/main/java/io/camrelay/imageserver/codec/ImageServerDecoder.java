package io.camrelay.imageserver.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes the mixed ImageServer stream (docs/protocols.md §1.1, §1.5) into {@link XmlMessage}s and
 * {@link ImageResponse}s. The first byte decides: {@code <} an XML document up to CR LF CR LF, {@code I} an
 * {@code ImageResponse} header block up to CR LF CR LF, {@code Content-length} body bytes and a CR LF CR LF trailer.
 * Anything else, and every length over its {@link ImageServerLimits}, is a framing error: the decoder throws
 * {@link ImageServerProtocolException}, closes the channel and discards what follows; it never guesses a resync.
 * Used by the consumer (responses) and by the simulator (requests).
 */
public final class ImageServerDecoder extends ByteToMessageDecoder {

    /** CR LF CR LF ends every document and header block and follows every body (§1.1, §1.5). */
    static final int TERMINATOR_LENGTH = 4;
    private static final String CONTENT_LENGTH = "content-length";

    private enum State { START, BODY, BAD }

    private final ImageServerLimits limits;
    private final XmlParser xml = new XmlParser();
    private State state = State.START;
    /** How many bytes after the reader index were already searched for a terminator without finding it. */
    private int searched;
    private final TerminatorFinder terminator = new TerminatorFinder();
    private Map<String, String> headers;
    private int contentLength;

    public ImageServerDecoder(ImageServerLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        // A session that fell behind (a stalled loop, a busy machine) is read 16 times per loop iteration, each read
        // ending inside a picture: with Netty's default the consumed bytes stay in the buffer until the 16th read,
        // which grows to 4 MB and never shrinks while a partial picture is held — 300 such sessions exhausted the
        // direct memory. Discarding after every read keeps it about one read plus one partial message.
        setDiscardAfterReads(1);
    }

    /** The capacity of what the decoder holds between reads (0 when nothing): for tests. */
    int bufferedCapacity() {
        ByteBuf held = internalBuffer();
        return held == null ? 0 : held.capacity();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case START -> decodeStart(in, out);
                case BODY -> decodeBody(in, out);
                case BAD -> in.skipBytes(in.readableBytes());
                default -> throw new IllegalStateException(state.name());
            }
        } catch (ImageServerProtocolException e) {
            state = State.BAD;
            in.skipBytes(in.readableBytes());
            ctx.close();
            throw e;
        }
    }

    private void decodeStart(ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        int first = in.getByte(in.readerIndex()) & 0xFF;
        if (first == '<') {
            decodeXml(in, out);
        } else if (first == 'I') {
            decodeHeaders(in);
        } else {
            throw new ImageServerProtocolException(String.format(Locale.ROOT,
                    "unexpected first byte 0x%02X of an ImageServer message (expected '<' for XML or 'I' for "
                            + "ImageResponse)", first));
        }
    }

    private void decodeXml(ByteBuf in, List<Object> out) {
        int end = findTerminator(in, limits.maxXmlSize());
        if (end < 0) {
            if (in.readableBytes() >= limits.maxXmlSize()) {
                throw new ImageServerProtocolException("XML document exceeds the allowed maximum of "
                        + limits.maxXmlSize() + " bytes without its CR LF CR LF terminator");
            }
            return;
        }
        int length = end - in.readerIndex();
        byte[] document = new byte[length];
        in.readBytes(document);
        in.skipBytes(TERMINATOR_LENGTH);
        searched = 0;
        out.add(xml.parse(document));
    }

    private void decodeHeaders(ByteBuf in) {
        int maxBlock = (limits.maxHeaders() + 1) * (limits.maxHeaderLine() + 2) + 2;
        int end = findTerminator(in, maxBlock);
        int start = in.readerIndex();
        // Check the lines seen so far even before the block is complete: a never-ending line fails early.
        int available = end < 0 ? Math.min(in.readableBytes(), maxBlock) : end - start + 2;
        Map<String, String> parsed = parseLines(in, start, available, end >= 0);
        if (end < 0) {
            if (in.readableBytes() >= maxBlock) {
                throw new ImageServerProtocolException("ImageResponse header block exceeds " + maxBlock
                        + " bytes without its CR LF CR LF terminator");
            }
            return;
        }
        contentLength = parseContentLength(parsed.get(CONTENT_LENGTH));
        headers = parsed;
        in.skipBytes(end - start + TERMINATOR_LENGTH);
        searched = 0;
        state = State.BODY;
    }

    /**
     * Checks the start line, each line's length and the number of lines in {@code available} bytes from
     * {@code start}; returns the headers by lower-case name when {@code complete} (the whole block is there).
     */
    private Map<String, String> parseLines(ByteBuf in, int start, int available, boolean complete) {
        Map<String, String> parsed = new HashMap<>();
        int lineStart = start;
        for (int lines = 0; ; lines++) {
            int cr = indexOfCrLf(in, lineStart, start + available);
            int lineLength = (cr < 0 ? start + available : cr) - lineStart;
            if (lineLength > limits.maxHeaderLine()) {
                throw new ImageServerProtocolException("ImageResponse header line of " + lineLength
                        + "+ bytes exceeds the allowed maximum (" + limits.maxHeaderLine() + ")");
            }
            if (cr < 0 || lineLength == 0) {
                return parsed;
            }
            if (lines > limits.maxHeaders()) {
                throw new ImageServerProtocolException("ImageResponse has more than " + limits.maxHeaders()
                        + " header lines (the allowed maximum)");
            }
            String line = in.toString(lineStart, lineLength, StandardCharsets.ISO_8859_1);
            if (lines == 0) {
                if (!ImageResponse.START_LINE.equals(line)) {
                    throw new ImageServerProtocolException("ImageServer message starts with '" + printable(line)
                            + "' (expected '" + ImageResponse.START_LINE + "')");
                }
            } else if (complete) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new ImageServerProtocolException("ImageResponse header line '" + printable(line)
                            + "' has no 'Name: value' form");
                }
                parsed.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            lineStart = cr + 2;
        }
    }

    private int parseContentLength(String value) {
        if (value == null) {
            throw new ImageServerProtocolException("ImageResponse without a Content-length header");
        }
        long length;
        try {
            length = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ImageServerProtocolException("ImageResponse Content-length '" + printable(value)
                    + "' is not a number");
        }
        if (length < 0 || length > limits.maxContentLength()) {
            throw new ImageServerProtocolException("ImageResponse Content-length " + length
                    + " is outside the allowed range (0 ~ " + limits.maxContentLength() + ")");
        }
        return (int) length;
    }

    private void decodeBody(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < contentLength + TERMINATOR_LENGTH) {
            return;
        }
        byte[] body = new byte[contentLength];
        in.readBytes(body);
        int trailer = in.readerIndex();
        if (!isTerminator(in, trailer)) {
            throw new ImageServerProtocolException(String.format(Locale.ROOT,
                    "ImageResponse body of %d bytes is followed by %02X %02X %02X %02X (expected the CR LF CR LF "
                            + "trailer: the Content-length does not match the body)", contentLength,
                    in.getByte(trailer), in.getByte(trailer + 1), in.getByte(trailer + 2), in.getByte(trailer + 3)));
        }
        in.skipBytes(TERMINATOR_LENGTH);
        out.add(new ImageResponse(headers, body));
        headers = null;
        state = State.START;
    }

    /** Bytes received but not yet decoded: what the decoder holds between reads (tests of its memory bound). */
    int buffered() {
        return actualReadableBytes();
    }

        /**
     * Index of the CR LF CR LF that ends the message at the reader index within {@code limit} bytes, or -1. One
     * {@code forEachByte} pass rather than a {@code getByte} per byte: the same work, but one access of the buffer
     * (leak detection records each access, which made a byte loop cost a stack trace per byte in tests).
     */
    private int findTerminator(ByteBuf in, int limit) {
        int start = in.readerIndex();
        int end = start + Math.min(in.readableBytes(), limit);
        int from = start + Math.max(0, searched - TERMINATOR_LENGTH + 1);
        if (from < end) {
            terminator.matched = 0;
            int last = in.forEachByte(from, end - from, terminator);
            if (last >= 0) {
                return last - TERMINATOR_LENGTH + 1;
            }
        }
        searched = end - start;
        return -1;
    }

    /** Matches CR LF CR LF; stops on its last byte. */
    private static final class TerminatorFinder implements ByteProcessor {
        private int matched;

        @Override
        public boolean process(byte b) {
            if (b == (matched % 2 == 0 ? '\r' : '\n')) {
                matched++;
            } else {
                matched = b == '\r' ? 1 : 0;
            }
            return matched < TERMINATOR_LENGTH;
        }
    }

    private static boolean isTerminator(ByteBuf in, int i) {
        return in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                && in.getByte(i + 3) == '\n';
    }

    private static int indexOfCrLf(ByteBuf in, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            i = in.forEachByte(i, to - 1 - i, ByteProcessor.FIND_CR);
            if (i < 0) {
                return -1;
            }
            if (in.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
