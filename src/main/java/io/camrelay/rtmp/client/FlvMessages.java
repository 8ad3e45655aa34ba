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

/** FLV tags as RTMP messages (docs/protocols.md A4–A7): chunk streams, {@code @setDataFrame}, a minimal onMetaData. */
final class FlvMessages {

    static final String SET_DATA_FRAME = "@setDataFrame";
    static final String ON_METADATA = "onMetaData";
    static final String ENCODER = "CamRelay";

    private FlvMessages() {
    }

    /** The tag as a message at {@code timestamp} (32-bit) on the publish stream; the body is not copied. */
    static RtmpMessage message(FlvTag tag, long timestamp, int messageStreamId) {
        int csid = tag.type() == FlvTagType.VIDEO ? RtmpChunkStreams.VIDEO : RtmpChunkStreams.AUDIO_AND_DATA;
        long ts = timestamp & RtmpMessage.MAX_TIMESTAMP;
        if (tag.type() == FlvTagType.SCRIPT) {
            return new RtmpMessage(csid, tag.type().code(), ts, messageStreamId, withSetDataFrame(tag.bodyUnsafe()));
        }
        // the body as the tag holds it: a picture's NAL units are copied once, from the access unit to the wire
        return new RtmpMessage(csid, tag.type().code(), ts, messageStreamId, tag.size(),
                (from, length, out) -> tag.writeBody(from, length, out::writeBytes));
    }

    /**
     * A minimal onMetaData naming the codecs of the given sequence headers (either may be null), for routes that send
     * no metadata of their own; the codec ids are the ones the headers declare.
     */
    static FlvTag minimalMetadata(FlvTag videoHeader, FlvTag audioHeader) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("duration", 0.0);
        if (videoHeader != null) {
            meta.put("videocodecid", (double) videoHeader.codecId());
        }
        if (audioHeader != null) {
            meta.put("audiocodecid", (double) audioHeader.codecId());
        }
        meta.put("encoder", ENCODER);
        return FlvTag.script(0, Amf0Writer.encode(ON_METADATA, new Amf0Writer.EcmaArray(meta)));
    }

    /** docs/protocols.md A4: on the wire the metadata is prefixed with {@code @setDataFrame} unless it already is. */
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
