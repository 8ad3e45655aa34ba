package io.camrelay.imageserver;

import io.camrelay.support.MediaHeaders;
import org.apache.camel.spi.Metadata;

/**
 * Message headers of the {@code xprotect:} consumer and of the processors that follow it in a stream route, as
 * Camel's metadata documents them; the names are the message contract's ({@link MediaHeaders}).
 */
public final class XProtectConstants {

    @Metadata(label = "consumer", description = "The XProtect camera id (GUID) the picture comes from.",
            javaType = "String", important = true)
    public static final String CAMERA_ID = MediaHeaders.CAMERA_ID;
    @Metadata(label = "consumer", description = "System.nanoTime() when the ImageServer response was received.",
            javaType = "long")
    public static final String RECEIVE_TIME_NANOS = MediaHeaders.RECEIVE_TIME_NANOS;
    @Metadata(label = "consumer", description = "The GenericByteData codec (a VideoCodec), set by header stripping.",
            javaType = "io.camrelay.media.VideoCodec")
    public static final String CODEC = MediaHeaders.CODEC;
    @Metadata(label = "consumer", description = "The raw GenericByteData codec id, set by header stripping.",
            javaType = "int")
    public static final String CODEC_ID = MediaHeaders.CODEC_ID;
    @Metadata(label = "consumer", description = "Whether the picture is a key (SYNC) frame, set by header stripping.",
            javaType = "boolean")
    public static final String KEY_FRAME = MediaHeaders.KEY_FRAME;
    @Metadata(label = "consumer", description = "Picture time, ms UTC, decode order, set by header stripping.",
            javaType = "long")
    public static final String PICTURE_TIME = MediaHeaders.PICTURE_TIME;
    @Metadata(label = "consumer", description = "Time of the latest SYNC picture, ms UTC, set by header stripping.",
            javaType = "long")
    public static final String SYNC_TIME = MediaHeaders.SYNC_TIME;
    @Metadata(label = "consumer", description = "GenericByteData sequence number (uint16), set by header stripping.",
            javaType = "int")
    public static final String SEQUENCE = MediaHeaders.SEQUENCE;
    @Metadata(label = "consumer", description = "The picture's position on the stream's RTMP timeline (ms from 0), "
            + "set by FLV tagging.", javaType = "long")
    public static final String TIMELINE_MS = MediaHeaders.TIMELINE_MS;

    @Metadata(label = "consumer", description = "Playback mode only, on the last exchange (empty body): how the "
            + "recording's input ended, TO_REACHED (the first picture at or after 'to' came) or END_OF_RECORDING "
            + "(the recorder has nothing more). Nothing follows it.", javaType = "String")
    public static final String PLAYBACK_END = MediaHeaders.PLAYBACK_END;

    private XProtectConstants() {
    }
}
