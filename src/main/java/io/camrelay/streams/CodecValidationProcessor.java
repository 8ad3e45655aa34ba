package io.camrelay.streams;

import io.camrelay.media.VideoCodec;
import io.camrelay.media.VideoTagger;
import io.camrelay.support.MediaHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Lets a picture pass when CamRelay can put its codec into FLV ({@link VideoTagger#canTag}: H.264); anything else
 * stops the stream with an {@link UnsupportedCodecException} naming the camera, the codec and the fix. Reads the
 * codec from {@link MediaHeaders#CODEC_ID} set by {@link StripHeaderProcessor}. Stateless and thread-safe.
 */
public final class CodecValidationProcessor implements Processor {

    private final String cameraName;

    /** The camera is named by its id in error messages. */
    public CodecValidationProcessor() {
        this(null);
    }

    /** @param cameraName the camera's display name for error messages, or null */
    public CodecValidationProcessor(String cameraName) {
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
        if (!VideoTagger.canTag(VideoCodec.fromId(codecId))) {
            throw new UnsupportedCodecException(message.getHeader(MediaHeaders.CAMERA_ID, String.class), cameraName,
                    codecId);
        }
    }
}
