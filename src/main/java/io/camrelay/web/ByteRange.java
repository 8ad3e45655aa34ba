package io.camrelay.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a {@code Range} header (RFC 9110 §14.1.2): {@code bytes=first-last}, {@code bytes=first-} or
 * {@code bytes=-suffix}. Several ranges in one header are answered with the whole file (a server may ignore Range).
 *
 * @param first the first byte, inclusive
 * @param last  the last byte, inclusive
 */
record ByteRange(long first, long last) {

    /** A range that lies outside the file: 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);
    private static final Pattern ONE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** The range {@code header} asks for in a file of {@code size} bytes; null for the whole file. */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = ONE.matcher(header.strip().replace(" ", ""));
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                return suffix == 0 || size == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
            if (first >= size || last < first) {
                return UNSATISFIABLE;
            }
            return new ByteRange(first, last);
        } catch (NumberFormatException e) {
            return UNSATISFIABLE;
        }
    }
}
