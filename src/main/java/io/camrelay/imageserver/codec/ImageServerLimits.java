package io.camrelay.imageserver.codec;

/**
 * Bounds on everything the ImageServer decoder reads from the wire (docs/design.md §8, style.md §7).
 *
 * @param maxContentLength largest ImageResponse body accepted (bytes)
 * @param maxHeaderLine    longest ImageResponse header line accepted (bytes, without CR LF)
 * @param maxHeaders       most header lines in one ImageResponse
 * @param maxXmlSize       largest XML document accepted (bytes, terminator included)
 */
public record ImageServerLimits(int maxContentLength, int maxHeaderLine, int maxHeaders, int maxXmlSize) {

    /** 16 MiB: far above a 4K key frame, small enough to bound memory per camera. */
    public static final int DEFAULT_MAX_CONTENT_LENGTH = 16 * 1024 * 1024;
    /** Header lines are short ("Content-type: application/x-genericbytedata-octet-stream"). */
    public static final int DEFAULT_MAX_HEADER_LINE = 1024;
    /** §1.5 shows 7 headers after the start line. */
    public static final int DEFAULT_MAX_HEADERS = 32;
    /** methodresponse and livepackage documents are a few hundred bytes. */
    public static final int DEFAULT_MAX_XML_SIZE = 64 * 1024;

    /** The defaults. */
    public static final ImageServerLimits DEFAULTS = new ImageServerLimits(DEFAULT_MAX_CONTENT_LENGTH,
            DEFAULT_MAX_HEADER_LINE, DEFAULT_MAX_HEADERS, DEFAULT_MAX_XML_SIZE);

    public ImageServerLimits {
        positive("maxContentLength", maxContentLength);
        positive("maxHeaderLine", maxHeaderLine);
        positive("maxHeaders", maxHeaders);
        positive("maxXmlSize", maxXmlSize);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
