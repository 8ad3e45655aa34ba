package io.camrelay.media;

import java.util.Locale;

/**
 * Reads the FLV tags both MP4 writers take (docs/protocols.md A5, A7): AVC sequence headers and pictures, AAC
 * sequence headers and raw frames; script data, AVC end-of-sequence and video command frames are ignored. Checks
 * the tag headers only; a writer checks order and time. The fields of the last sample read stay until the next
 * {@link #read}, so reading a picture allocates nothing.
 */
final class Mp4TagReader {

    /** What a tag is to an MP4 writer. */
    enum Kind { IGNORED, VIDEO_CONFIG, AUDIO_CONFIG, VIDEO_SAMPLE, AUDIO_SAMPLE }

    /** FrameType 1: key frame (FLV 10.1 §E.4.3.1, VIDEODATA). */
    static final int FRAME_TYPE_KEY = 1;
    /** FrameType 5: video info/command frame, no picture. */
    static final int FRAME_TYPE_COMMAND = 5;
    /** Bit 7 of the first byte: Enhanced RTMP's ExVideoTagHeader (E-RTMP v1, IsExHeader), a FourCC codec. */
    static final int EX_HEADER_FLAG = 0x80;
    /** Bytes before an AAC payload: SoundFormat|rate|size|type, AACPacketType (FLV 10.1 §E.4.2.1). */
    static final int AUDIO_TAG_HEADER_LENGTH = 2;

    private Mp4VideoConfig videoConfig;
    private Mp4AudioConfig audioConfig;
    private int payloadOffset;
    private int compositionTime;
    private boolean keyFrame;

    /**
     * Reads {@code tag}.
     *
     * @throws Mp4FormatException for a video tag that is not AVC, an audio tag that is not AAC, a truncated header or
     *                            an unknown packet type
     */
    Kind read(FlvTag tag) {
        return switch (tag.type()) {
            case SCRIPT -> Kind.IGNORED;
            case VIDEO -> readVideo(tag);
            case AUDIO -> readAudio(tag);
        };
    }

    private Kind readVideo(FlvTag tag) {
        // a picture's body stays in pieces (FlvTag.writeBody): read its header bytes, not a joined copy
        int length = tag.size();
        if (length == 0) {
            throw new Mp4FormatException("empty video tag at " + tag.timestamp() + " ms (expected an AVC video tag)");
        }
        int first = tag.bodyByte(0);
        int frameType = (first >> 4) & 0x07;
        if ((first & EX_HEADER_FLAG) != 0 || (first & 0x0F) != AvcTagger.FLV_CODEC_ID) {
            throw new Mp4FormatException(String.format(Locale.ROOT, "video tag at %d ms is %s, which cannot be "
                    + "written (expected codec id %d, AVC)", tag.timestamp(), (first & EX_HEADER_FLAG) != 0
                    ? "an Enhanced RTMP FourCC tag" : "of codec id " + (first & 0x0F), AvcTagger.FLV_CODEC_ID));
        }
        if (frameType == FRAME_TYPE_COMMAND) {
            return Kind.IGNORED;
        }
        if (length < AvcTagger.VIDEO_TAG_HEADER_LENGTH) {
            throw new Mp4FormatException(String.format(Locale.ROOT, "AVC video tag at %d ms of %d bytes is "
                    + "truncated (expected at least %d)", tag.timestamp(), length,
                    AvcTagger.VIDEO_TAG_HEADER_LENGTH));
        }
        int packetType = (byte) tag.bodyByte(1);
        switch (packetType) {
            case AvcTagger.AVC_SEQUENCE_HEADER -> {
                videoConfig = Mp4VideoConfig.parse(tag.bodyUnsafe(), AvcTagger.VIDEO_TAG_HEADER_LENGTH,
                        tag.timestamp());
                return Kind.VIDEO_CONFIG;
            }
            case AvcTagger.AVC_NALU -> {
                payloadOffset = AvcTagger.VIDEO_TAG_HEADER_LENGTH;
                compositionTime = ((byte) tag.bodyByte(2) << 16) | (tag.bodyByte(3) << 8) | tag.bodyByte(4); // SI24
                keyFrame = frameType == FRAME_TYPE_KEY;
                return Kind.VIDEO_SAMPLE;
            }
            case AvcTagger.AVC_END_OF_SEQUENCE -> {
                return Kind.IGNORED;
            }
            default -> throw new Mp4FormatException(String.format(Locale.ROOT, "AVC video tag at %d ms has "
                    + "AVCPacketType %d (expected 0, 1 or 2)", tag.timestamp(), packetType));
        }
    }

    private Kind readAudio(FlvTag tag) {
        byte[] body = tag.bodyUnsafe();
        int format = body.length == 0 ? -1 : (body[0] & 0xF0) >> 4;
        if (format != SilentAac.FLV_CODEC_ID) {
            throw new Mp4FormatException(String.format(Locale.ROOT, "audio tag at %d ms has sound format %d, which "
                    + "cannot be written (expected %d, AAC)", tag.timestamp(), format, SilentAac.FLV_CODEC_ID));
        }
        if (body.length < AUDIO_TAG_HEADER_LENGTH) {
            throw new Mp4FormatException(String.format(Locale.ROOT, "AAC audio tag at %d ms of %d bytes is "
                    + "truncated (expected at least %d)", tag.timestamp(), body.length, AUDIO_TAG_HEADER_LENGTH));
        }
        int packetType = body[1];
        if (packetType == SilentAac.AAC_SEQUENCE_HEADER) {
            audioConfig = Mp4AudioConfig.parse(body, AUDIO_TAG_HEADER_LENGTH, tag.timestamp());
            return Kind.AUDIO_CONFIG;
        }
        if (packetType != SilentAac.AAC_RAW) {
            throw new Mp4FormatException(String.format(Locale.ROOT, "AAC audio tag at %d ms has AACPacketType %d "
                    + "(expected 0 or 1)", tag.timestamp(), packetType));
        }
        payloadOffset = AUDIO_TAG_HEADER_LENGTH;
        keyFrame = true;
        compositionTime = 0;
        return Kind.AUDIO_SAMPLE;
    }

    /** The configuration of the last VIDEO_CONFIG tag. */
    Mp4VideoConfig videoConfig() {
        return videoConfig;
    }

    /** The configuration of the last AUDIO_CONFIG tag. */
    Mp4AudioConfig audioConfig() {
        return audioConfig;
    }

    /** Where the sample's bytes begin in the last sample tag's body (AVCC NAL units, or the raw AAC frame). */
    int payloadOffset() {
        return payloadOffset;
    }

    /** The last picture's composition time (PTS − DTS), ms; 0 for audio. */
    int compositionTime() {
        return compositionTime;
    }

    /** Whether the last sample is a sync sample: an AVC key frame, or any AAC frame. */
    boolean keyFrame() {
        return keyFrame;
    }
}
