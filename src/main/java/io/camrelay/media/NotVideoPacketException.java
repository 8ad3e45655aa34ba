package io.camrelay.media;

/**
 * A well-formed GenericByteData packet that carries no picture: another data type (audio 0x0020, metadata 0x0030,
 * docs/protocols.md §2.1), or a multi-packet wrapper without a video stream packet inside. A stream skips it; the
 * video around it is unaffected.
 */
public final class NotVideoPacketException extends GenericByteDataException {
    private static final long serialVersionUID = 1L;
    private final int dataType;

    public NotVideoPacketException(int dataType, String message) {
        super(message);
        this.dataType = dataType;
    }

    /** The packet's data type. */
    public int dataType() {
        return dataType;
    }
}
