package io.camrelay.streams;

import io.camrelay.support.MediaHeaders;
import io.camrelay.media.VideoCodec;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Lets H.264 pictures pass (and H.265 when {@link #setAllowH265 allowed}); anything else stops the stream with an
 * {@link UnsupportedCodecException} naming the camera, the codec and the fix (architecture.md §3). Reads the codec
 * from {@link MediaHeaders#CODEC_ID} set by {@link StripHeaderProcessor}. Thread-safe once configured.
 */
public final class CodecValidationProcessor implements Processor {

    private volatile boolean allowH265;
    private volatile String cameraName;

    /** Allows H.264 only; the camera is named by its id. */
    public CodecValidationProcessor() {
    }

    /**
     * @param allowH265  also let H.265 pass (for destinations that accept Enhanced RTMP)
     * @param cameraName the camera's display name for error messages, or null
     */
    public CodecValidationProcessor(boolean allowH265, String cameraName) {
        this.allowH265 = allowH265;
        this.cameraName = cameraName;
    }

    /** Also let H.265 pass (opt-in; only YouTube and custom servers take it, over Enhanced RTMP). */
    public void setAllowH265(boolean allowH265) {
        this.allowH265 = allowH265;
    }

    /** The camera's display name, used in the error message. */
    public void setCameraName(String cameraName) {
        this.cameraName = cameraName;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Integer codecId = message.getHeader(MediaHeaders.CODEC_ID, Integer.class);
        if (codecId == null) {
            VideoCodec codec = message.getHeader(MediaHeaders.CODEC, VideoCodec.class);
            codecId = codec == null ? VideoCodec.UNKNOWN.id() : codec.id();
        }
        VideoCodec codec = VideoCodec.fromId(codecId);
        if (codec == VideoCodec.H264 || (codec == VideoCodec.H265 && allowH265)) {
            return;
        }
        throw new UnsupportedCodecException(message.getHeader(MediaHeaders.CAMERA_ID, String.class), cameraName,
                codecId);
    }
}
