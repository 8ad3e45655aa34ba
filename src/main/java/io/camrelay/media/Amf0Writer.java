package io.camrelay.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes AMF0 values (Adobe AMF0 specification §2) as used by RTMP commands and FLV script data. Supported Java
 * types: {@code null} (null marker), {@link Number} (number), {@link Boolean}, {@link CharSequence} (string, or
 * long string past 65535 bytes), {@link Map} (object, keys as strings, in iteration order), {@link EcmaArray},
 * {@link List} (strict array) and {@link Undefined}.
 */
public final class Amf0Writer {

    /** AMF0 type markers (AMF0 §2.1). */
    public static final int NUMBER = 0x00;
    public static final int BOOLEAN = 0x01;
    public static final int STRING = 0x02;
    public static final int OBJECT = 0x03;
    public static final int NULL = 0x05;
    public static final int UNDEFINED = 0x06;
    public static final int ECMA_ARRAY = 0x08;
    public static final int OBJECT_END = 0x09;
    public static final int STRICT_ARRAY = 0x0A;
    public static final int LONG_STRING = 0x0C;

    /** Largest UTF-8 length of a plain string; longer ones are written as long strings. */
    static final int MAX_SHORT_STRING = 0xFFFF;
    /** Nesting limit, the same the reader enforces. */
    public static final int MAX_DEPTH = 16;

    /** An ECMA array ({@code 0x08}): what onMetaData carries. Keys keep their order. */
    public record EcmaArray(Map<String, ?> entries) {
        public EcmaArray {
            entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
        }
    }

    /** The AMF0 undefined value. */
    public enum Undefined {
        INSTANCE
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** Appends one value. */
    public Amf0Writer write(Object value) {
        writeValue(value, 0);
        return this;
    }

    /** Appends several values in order. */
    public Amf0Writer writeAll(Object... values) {
        for (Object value : values) {
            write(value);
        }
        return this;
    }

    /** The bytes written so far. */
    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** Encodes values into a new array. */
    public static byte[] encode(Object... values) {
        return new Amf0Writer().writeAll(values).toByteArray();
    }

    private void writeValue(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("AMF0 value nested deeper than " + MAX_DEPTH + " levels");
        }
        if (value == null) {
            out.write(NULL);
        } else if (value instanceof Undefined) {
            out.write(UNDEFINED);
        } else if (value instanceof Number n) {
            out.write(NUMBER);
            writeLong(Double.doubleToLongBits(n.doubleValue()), 8);
        } else if (value instanceof Boolean b) {
            out.write(BOOLEAN);
            out.write(b ? 1 : 0);
        } else if (value instanceof CharSequence s) {
            byte[] utf8 = s.toString().getBytes(StandardCharsets.UTF_8);
            if (utf8.length > MAX_SHORT_STRING) {
                out.write(LONG_STRING);
                writeLong(utf8.length, 4);
            } else {
                out.write(STRING);
                writeLong(utf8.length, 2);
            }
            out.writeBytes(utf8);
        } else if (value instanceof EcmaArray a) {
            out.write(ECMA_ARRAY);
            writeLong(a.entries().size(), 4);
            writeProperties(a.entries(), depth);
        } else if (value instanceof Map<?, ?> m) {
            out.write(OBJECT);
            writeProperties(m, depth);
        } else if (value instanceof List<?> list) {
            out.write(STRICT_ARRAY);
            writeLong(list.size(), 4);
            for (Object element : list) {
                writeValue(element, depth + 1);
            }
        } else {
            throw new IllegalArgumentException("no AMF0 encoding for " + value.getClass().getName());
        }
    }

    private void writeProperties(Map<?, ?> properties, int depth) {
        for (Map.Entry<?, ?> e : properties.entrySet()) {
            byte[] key = String.valueOf(e.getKey()).getBytes(StandardCharsets.UTF_8);
            if (key.length == 0 || key.length > MAX_SHORT_STRING) {
                throw new IllegalArgumentException("AMF0 property name must be 1-65535 bytes: '" + e.getKey() + "'");
            }
            writeLong(key.length, 2);
            out.writeBytes(key);
            writeValue(e.getValue(), depth + 1);
        }
        out.write(0);
        out.write(0);
        out.write(OBJECT_END);
    }

    private void writeLong(long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
    }
}
