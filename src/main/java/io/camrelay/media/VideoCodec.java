package io.camrelay.media;

import java.util.Locale;

/**
 * Codec ids of GenericByteData packets (docs/protocols.md §2.2) with the names operators know them by.
 */
public enum VideoCodec {
    JPEG(0x0001, "JPEG"),
    MPEG4_ASP(0x0004, "MPEG-4"),
    MPEG4_SP(0x0005, "MPEG-4"),
    MPEG4_SHORT(0x0006, "MPEG-4"),
    H263(0x0007, "H.263"),
    H263_PLUS(0x0009, "H.263"),
    H264(0x000A, "H.264"),
    MPEG4_PART2(0x000B, "MPEG-4"),
    VC1(0x000C, "VC-1"),
    H265(0x000E, "H.265"),
    AV1(0x000F, "AV1"),
    MXPEG(0x0080, "MxPEG"),
    UNKNOWN(-1, "unknown");

    /** {@code values()} copies its array on every call; this is read once per picture. */
    private static final VideoCodec[] ALL = values();

    private final int id;
    private final String displayName;

    VideoCodec(int id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** The GenericByteData codec id, or -1 for {@link #UNKNOWN}. */
    public int id() {
        return id;
    }

    /** The human name, e.g. "H.264". */
    public String displayName() {
        return displayName;
    }

    /** Looks up a codec by its GenericByteData id; never throws: an id we do not know is {@link #UNKNOWN}. */
    public static VideoCodec fromId(int id) {
        for (VideoCodec codec : ALL) {
            if (codec.id == id) {
                return codec;
            }
        }
        return UNKNOWN;
    }

    /** A label that always identifies the codec, e.g. "H.265" or "unknown (0x0042)". */
    public static String describe(int id) {
        VideoCodec codec = fromId(id);
        return codec == UNKNOWN ? String.format(Locale.ROOT, "unknown (0x%04X)", id) : codec.displayName;
    }
}
