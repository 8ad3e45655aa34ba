package io.camrelay.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the tags of a whole FLV file in memory (FLV 10.1 §E.2–E.4), for small files such as an operator's hold
 * slate: header, PreviousTagSize0, then per tag the 11-byte header, body and PreviousTagSize. Video tags carry their
 * key-frame, sequence-header and disposable flags from the body's first two bytes (§E.4.3.1). A truncated last tag
 * ends the file; anything else malformed throws {@link MediaFormatException}.
 */
public final class FlvFileReader {

    /** The FLV signature. */
    private static final byte[] SIGNATURE = {'F', 'L', 'V'};
    /** FrameType 1: key frame (§E.4.3.1). */
    private static final int FRAME_TYPE_KEY = 1;
    /** FrameType 3: disposable inter frame. */
    private static final int FRAME_TYPE_DISPOSABLE = 3;
    /** AVCPacketType 0: sequence header. */
    private static final int AVC_SEQUENCE_HEADER = 0;
    /** AVCPacketType 2: end of sequence. */
    private static final int AVC_END_OF_SEQUENCE = 2;
    /** AACPacketType 0: AudioSpecificConfig. */
    private static final int AAC_SEQUENCE_HEADER = 0;
    /** SoundFormat 10: AAC. */
    private static final int SOUND_FORMAT_AAC = 10;

    private FlvFileReader() {
    }

    /**
     * The audio, video and script tags of {@code file} in file order; AVC end-of-sequence tags and tags of other
     * types are left out.
     *
     * @throws MediaFormatException when it is not an FLV file or a tag header is malformed
     */
    public static List<FlvTag> read(byte[] file) {
        if (file.length < FlvFileWriter.HEADER_LENGTH + 4 || file[0] != SIGNATURE[0] || file[1] != SIGNATURE[1]
                || file[2] != SIGNATURE[2]) {
            throw new MediaFormatException("not an FLV file: it does not start with the FLV signature and header");
        }
        long dataOffset = u32(file, 5);
        if (dataOffset < FlvFileWriter.HEADER_LENGTH || dataOffset + 4 > file.length) {
            throw new MediaFormatException("FLV header size " + dataOffset + " is outside 9.." + (file.length - 4));
        }
        List<FlvTag> tags = new ArrayList<>();
        int pos = (int) dataOffset + 4;
        while (pos + FlvFileWriter.TAG_HEADER_LENGTH <= file.length) {
            int type = file[pos] & 0x1F;
            int size = u24(file, pos + 1);
            long timestamp = u24(file, pos + 4) | ((long) (file[pos + 7] & 0xFF) << 24);
            int body = pos + FlvFileWriter.TAG_HEADER_LENGTH;
            if (body + size > file.length) {
                break; // a truncated last tag: the file was cut while being written
            }
            byte[] bytes = java.util.Arrays.copyOfRange(file, body, body + size);
            FlvTag tag = tag(type, timestamp, bytes);
            if (tag != null) {
                tags.add(tag);
            }
            pos = body + size + 4;
        }
        return tags;
    }

    private static FlvTag tag(int type, long timestamp, byte[] body) {
        if (type == FlvTagType.VIDEO.code() && body.length >= 2) {
            int frameType = (body[0] & 0xF0) >> 4;
            boolean avc = (body[0] & 0x0F) == AvcTagger.FLV_CODEC_ID;
            if (avc && body[1] == AVC_END_OF_SEQUENCE) {
                return null;
            }
            boolean sequenceHeader = avc && body[1] == AVC_SEQUENCE_HEADER;
            return FlvTag.ofOwnedBody(FlvTagType.VIDEO, timestamp, frameType == FRAME_TYPE_KEY || sequenceHeader,
                    sequenceHeader, frameType == FRAME_TYPE_DISPOSABLE, body);
        }
        if (type == FlvTagType.AUDIO.code() && body.length >= 2) {
            boolean aac = ((body[0] & 0xF0) >> 4) == SOUND_FORMAT_AAC;
            return FlvTag.ofOwnedBody(FlvTagType.AUDIO, timestamp, false, aac && body[1] == AAC_SEQUENCE_HEADER,
                    false, body);
        }
        if (type == FlvTagType.SCRIPT.code()) {
            return FlvTag.ofOwnedBody(FlvTagType.SCRIPT, timestamp, false, false, false, body);
        }
        return null;
    }

    private static int u24(byte[] b, int off) {
        return ((b[off] & 0xFF) << 16) | ((b[off + 1] & 0xFF) << 8) | (b[off + 2] & 0xFF);
    }

    private static long u32(byte[] b, int off) {
        return ((long) u24(b, off) << 8) | (b[off + 3] & 0xFF);
    }
}
