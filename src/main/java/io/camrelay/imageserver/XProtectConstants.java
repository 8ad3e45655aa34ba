package io.camrelay.imageserver;

import org.apache.camel.spi.Metadata;

/**
 * Message headers of the {@code xprotect:} consumer and of the processors that follow it in a stream route
 * (architecture.md §3).
 */
public final class XProtectConstants {

    @Metadata(label = "consumer", description = "The XProtect camera id (GUID) the picture comes from.",
            javaType = "String", important = true)
    public static final String CAMERA_ID = "CamRelayCameraId";
    @Metadata(label = "consumer", description = "System.nanoTime() when the ImageServer response was received.",
            javaType = "long")
    public static final String RECEIVE_TIME_NANOS = "CamRelayReceiveTimeNanos";
    @Metadata(label = "consumer", description = "The GenericByteData codec (a VideoCodec), set by header stripping.",
            javaType = "io.camrelay.media.VideoCodec")
    public static final String CODEC = "CamRelayCodec";
    @Metadata(label = "consumer", description = "The raw GenericByteData codec id, set by header stripping.",
            javaType = "int")
    public static final String CODEC_ID = "CamRelayCodecId";
    @Metadata(label = "consumer", description = "Whether the picture is a key (SYNC) frame, set by header stripping.",
            javaType = "boolean")
    public static final String KEY_FRAME = "CamRelayKeyFrame";
    @Metadata(label = "consumer", description = "Picture time, ms UTC, decode order, set by header stripping.",
            javaType = "long")
    public static final String PICTURE_TIME = "CamRelayPictureTime";
    @Metadata(label = "consumer", description = "Time of the latest SYNC picture, ms UTC, set by header stripping.",
            javaType = "long")
    public static final String SYNC_TIME = "CamRelaySyncTime";
    @Metadata(label = "consumer", description = "GenericByteData sequence number (uint16), set by header stripping.",
            javaType = "int")
    public static final String SEQUENCE = "CamRelaySequence";
    @Metadata(label = "consumer", description = "The picture's position on the stream's RTMP timeline (ms from 0), "
            + "set by FLV tagging.", javaType = "long")
    public static final String TIMELINE_MS = "CamRelayTimelineMs";
    @Metadata(label = "consumer", description = "The stream id of the route (status, logging).", javaType = "String")
    public static final String STREAM_ID = "CamRelayStreamId";

    private XProtectConstants() {
    }
}
