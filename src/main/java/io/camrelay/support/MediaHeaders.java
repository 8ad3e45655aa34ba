package io.camrelay.support;

/**
 * The message contract between the steps of a stream route (docs/design.md "Message contract"): the names of the
 * headers the {@code xprotect:} consumer, the route set's processors and the {@code rtmp:} producer set and read.
 * Both components and the route set take the names from here, so neither component needs the other. The components'
 * {@code *Constants} classes document the ones they set or read for Camel's generated metadata.
 */
public final class MediaHeaders {

    /** The XProtect camera id (GUID) a picture comes from ({@code String}; set by the consumer). */
    public static final String CAMERA_ID = "CamRelayCameraId";
    /** {@link System#nanoTime()} when the picture was received ({@code long}; set by the consumer, read by rtmp:). */
    public static final String RECEIVE_TIME_NANOS = "CamRelayReceiveTimeNanos";
    /** The GenericByteData codec ({@code io.camrelay.media.VideoCodec}; set by header stripping). */
    public static final String CODEC = "CamRelayCodec";
    /** The raw GenericByteData codec id ({@code int}; set by header stripping). */
    public static final String CODEC_ID = "CamRelayCodecId";
    /** Whether the picture is a key (SYNC) frame ({@code boolean}; set by header stripping). */
    public static final String KEY_FRAME = "CamRelayKeyFrame";
    /** The picture time, ms UTC, decode order ({@code long}; set by header stripping). */
    public static final String PICTURE_TIME = "CamRelayPictureTime";
    /** The time of the latest SYNC picture, ms UTC ({@code long}; set by header stripping). */
    public static final String SYNC_TIME = "CamRelaySyncTime";
    /** The GenericByteData sequence number, uint16 ({@code int}; set by header stripping). */
    public static final String SEQUENCE = "CamRelaySequence";
    /**
     * The video format ({@code io.camrelay.media.VideoFormat}), set by FLV tagging on the exchanges that carry a new
     * sequence header only.
     */
    public static final String VIDEO_FORMAT = "CamRelayVideoFormat";
    /** The picture's position on the stream's RTMP timeline, ms from 0 ({@code long}; set by FLV tagging). */
    public static final String TIMELINE_MS = "CamRelayTimelineMs";

    /**
     * On the last exchange of a playback only (its body empty): how the recording's input ended, {@code TO_REACHED}
     * or {@code END_OF_RECORDING} ({@code String}; set by the consumer in playback mode).
     */
    public static final String PLAYBACK_END = "CamRelayPlaybackEnd";

    private MediaHeaders() {
    }
}
