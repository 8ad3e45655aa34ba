package io.camrelay.rtmp.client;

import io.camrelay.media.Amf0Reader;
import io.camrelay.media.Amf0Writer;
import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.media.MediaFormatException;
import io.camrelay.rtmp.chunk.RtmpMessage;
import io.camrelay.rtmp.message.RtmpChunkStreams;
import java.util.LinkedHashMap;
import java.util.Map;

/** FLV tags as RTMP messages (reference A4–A7): chunk streams, {@code @setDataFrame}, a minimal onMetaData. */
final class FlvMessages {

    /** Reference A4: metadata codec ids, 7 = AVC, 10 = AAC. */
    static final int AVC_CODEC_ID = 7;
    static final int AAC_CODEC_ID = 10;
    static final String SET_DATA_FRAME = "@setDataFrame";
    static final String ON_METADATA = "onMetaData";
    static final String ENCODER = "CamRelay";

    private FlvMessages() {
    }

    /** The tag as a message at {@code timestamp} (32-bit) on the publish stream; the body is not copied. */
    static RtmpMessage message(FlvTag tag, long timestamp, int messageStreamId) {
        byte[] body = tag.bodyUnsafe();
        int csid = tag.type() == FlvTagType.VIDEO ? RtmpChunkStreams.VIDEO : RtmpChunkStreams.AUDIO_AND_DATA;
        if (tag.type() == FlvTagType.SCRIPT) {
            body = withSetDataFrame(body);
        }
        return new RtmpMessage(csid, tag.type().code(), timestamp & RtmpMessage.MAX_TIMESTAMP, messageStreamId, body);
    }

    /** A minimal onMetaData naming the codecs, for routes that send none. */
    static FlvTag minimalMetadata(boolean video, boolean audio) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("duration", 0.0);
        if (video) {
            meta.put("videocodecid", (double) AVC_CODEC_ID);
        }
        if (audio) {
            meta.put("audiocodecid", (double) AAC_CODEC_ID);
        }
        meta.put("encoder", ENCODER);
        return FlvTag.script(0, Amf0Writer.encode(ON_METADATA, new Amf0Writer.EcmaArray(meta)));
    }

    /** Reference A4: on the wire the metadata is prefixed with {@code @setDataFrame} unless it already is. */
    static byte[] withSetDataFrame(byte[] body) {
        try {
            Amf0Reader r = new Amf0Reader(body);
            if (r.hasRemaining() && SET_DATA_FRAME.equals(r.read())) {
                return body;
            }
        } catch (MediaFormatException e) {
            // not AMF0 we understand: prefix it anyway and let the server judge
        }
        byte[] prefix = Amf0Writer.encode(SET_DATA_FRAME);
        byte[] out = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        return out;
    }
}
