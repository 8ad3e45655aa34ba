package io.camrelay.media;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF0 values (Adobe AMF0 specification §2) from a byte array, the inverse of {@link Amf0Writer}. Values come
 * back as {@code null}, {@link Amf0Writer.Undefined}, {@link Double}, {@link Boolean}, {@link String},
 * {@code Map<String, Object>} (object, in wire order), {@link Amf0Writer.EcmaArray} and {@code List<Object>} (strict
 * array); a date becomes its {@link Double} ms. Every declared length is checked against the bytes left the moment
 * it is read, and nesting is limited (docs/design.md §8), so hostile input costs no more memory than its own size.
 * Malformed input throws {@link Amf0FormatException} and nothing else.
 */
public final class Amf0Reader {

    /** AMF0 §2.13: date marker, 8-byte double ms + 2-byte time zone. */
    static final int DATE = 0x0B;

    private final byte[] data;
    private final int maxDepth;
    private int pos;

    /** A reader over {@code data} with the default nesting limit {@link Amf0Writer#MAX_DEPTH}. */
    public Amf0Reader(byte[] data) {
        this(data, Amf0Writer.MAX_DEPTH);
    }

    /** A reader over {@code data} refusing values nested deeper than {@code maxDepth}. */
    public Amf0Reader(byte[] data, int maxDepth) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must not be negative: " + maxDepth);
        }
        this.data = data.clone();
        this.maxDepth = maxDepth;
    }

    /** Decodes every value in {@code data}. */
    public static List<Object> decode(byte[] data) {
        return new Amf0Reader(data).readAll();
    }

    /** True while bytes are left. */
    public boolean hasRemaining() {
        return pos < data.length;
    }

    /** The offset of the next byte. */
    public int position() {
        return pos;
    }

    /** Reads the next value. */
    public Object read() {
        return readValue(0);
    }

    /** Reads values until the input ends. */
    public List<Object> readAll() {
        List<Object> values = new ArrayList<>();
        while (hasRemaining()) {
            values.add(read());
        }
        return values;
    }

    private Object readValue(int depth) {
        if (depth > maxDepth) {
            throw new Amf0FormatException("AMF0 value at offset " + pos + " is nested deeper than the limit of "
                    + maxDepth + " levels");
        }
        int markerAt = pos;
        int marker = u8();
        switch (marker) {
            case Amf0Writer.NUMBER:
                return Double.longBitsToDouble(uint(8));
            case Amf0Writer.BOOLEAN:
                return u8() != 0;
            case Amf0Writer.STRING:
                return utf8((int) uint(2));
            case Amf0Writer.LONG_STRING:
                return utf8(length(uint(4), "long string"));
            case Amf0Writer.OBJECT:
                return readProperties(depth);
            case Amf0Writer.NULL:
                return null;
            case Amf0Writer.UNDEFINED:
                return Amf0Writer.Undefined.INSTANCE;
            case Amf0Writer.ECMA_ARRAY:
                uint(4); // the count is advisory; the end marker terminates (AMF0 §2.10)
                return new Amf0Writer.EcmaArray(readProperties(depth));
            case Amf0Writer.STRICT_ARRAY:
                int count = length(uint(4), "strict array"); // each element takes at least one byte
                List<Object> list = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    list.add(readValue(depth + 1));
                }
                return list;
            case DATE:
                double ms = Double.longBitsToDouble(uint(8));
                uint(2);
                return ms;
            default:
                throw new Amf0FormatException(String.format(
                        "unsupported AMF0 type marker 0x%02X at offset %d (expected one of 00-03, 05, 06, 08, 0A-0C)",
                        marker, markerAt));
        }
    }

    private Map<String, Object> readProperties(int depth) {
        Map<String, Object> properties = new LinkedHashMap<>();
        while (true) {
            int keyLength = (int) uint(2);
            if (keyLength == 0) {
                int endAt = pos;
                if (u8() != Amf0Writer.OBJECT_END) {
                    throw new Amf0FormatException("AMF0 object has an empty property name at offset " + (endAt - 2)
                            + " not followed by the object-end marker 0x09");
                }
                return properties;
            }
            String key = utf8(keyLength);
            properties.put(key, readValue(depth + 1));
        }
    }

    private int length(long declared, String what) {
        int left = data.length - pos;
        if (declared > left) {
            throw new Amf0FormatException("AMF0 " + what + " at offset " + pos + " declares " + declared
                    + " bytes/elements but only " + left + " bytes are left");
        }
        return (int) declared;
    }

    private String utf8(int length) {
        require(length, "string");
        String s = new String(data, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    private int u8() {
        require(1, "type marker or byte");
        return data[pos++] & 0xFF;
    }

    private long uint(int bytes) {
        require(bytes, bytes + "-byte field");
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (data[pos++] & 0xFF);
        }
        return v;
    }

    private void require(int bytes, String what) {
        if (data.length - pos < bytes) {
            throw truncated(bytes, what);
        }
    }

    private Amf0FormatException truncated(int bytes, String what) {
        return new Amf0FormatException("AMF0 input ends at offset " + data.length + " inside a " + what + " at offset "
                + pos + " (needed " + bytes + " more bytes)");
    }
}
