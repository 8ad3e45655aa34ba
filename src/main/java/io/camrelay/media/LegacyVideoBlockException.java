package io.camrelay.media;

/**
 * The packet is a legacy GenericByteData "video block" (36-byte header, codec id at offset 0) rather than a video
 * stream packet (data type 0x0010). Recorders send video blocks only for old codecs; live H.264 uses stream
 * packets (docs/protocols.md §2.1).
 */
public final class LegacyVideoBlockException extends GenericByteDataException {
    private static final long serialVersionUID = 1L;
    private final int codecId;

    public LegacyVideoBlockException(int codecId) {
        super(String.format(java.util.Locale.ROOT,
                "received a legacy GenericByteData video block (36-byte header, codec %s) instead of a video stream "
                        + "packet (data type 0x0010); set the camera's stream to H.264 in the Management Client",
                VideoCodec.describe(codecId)));
        this.codecId = codecId;
    }

    /** The codec id the video block declares. */
    public int codecId() {
        return codecId;
    }
}
