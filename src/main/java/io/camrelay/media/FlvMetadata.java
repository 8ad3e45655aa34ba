package io.camrelay.media;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The onMetaData script data of an FLV stream (docs/protocols.md A4): the keys OBS and FFmpeg
 * send. In an FLV file the script tag body is {@link #onMetaData()}; an RTMP publisher sends
 * {@link #setDataFrame()} (the same with {@code "@setDataFrame"} in front).
 *
 * @param videoCodecId     the FLV videocodecid (the tagger's; 7 for AVC)
 * @param width            video width in pixels
 * @param height           video height in pixels
 * @param frameRate        nominal frames per second, 0 when unknown
 * @param videoDataRateKbps video bit rate in kbit/s, 0 when unknown
 * @param audio            the silent audio track
 */
public record FlvMetadata(int videoCodecId, int width, int height, double frameRate, int videoDataRateKbps,
                          SilentAac audio) {
    /** audiosamplesize of the silent track. */
    static final int AUDIO_SAMPLE_SIZE = 16;
    /** What the encoder key names. */
    public static final String ENCODER = "CamRelay";

    public FlvMetadata {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "metadata size %dx%d is not positive",
                    width, height));
        }
        if (!(frameRate >= 0) || videoDataRateKbps < 0) {
            throw new IllegalArgumentException("metadata frame rate " + frameRate + " and data rate "
                    + videoDataRateKbps + " must not be negative");
        }
        java.util.Objects.requireNonNull(audio, "audio");
    }

    /** Metadata for a stream of {@code format}, with the given silent audio. */
    public static FlvMetadata of(VideoFormat format, SilentAac audio) {
        return new FlvMetadata(format.flvCodecId(), format.width(), format.height(), format.frameRate(), 0, audio);
    }

    /** The ECMA array of keys, in the order FFmpeg writes them. */
    public Amf0Writer.EcmaArray properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("duration", 0.0);
        p.put("width", (double) width);
        p.put("height", (double) height);
        p.put("videodatarate", (double) videoDataRateKbps);
        p.put("framerate", frameRate);
        p.put("videocodecid", (double) videoCodecId);
        p.put("audiodatarate", (double) audio.declaredKbps());
        p.put("audiosamplerate", (double) audio.sampleRate());
        p.put("audiosamplesize", (double) AUDIO_SAMPLE_SIZE);
        p.put("stereo", audio.stereo());
        p.put("audiocodecid", (double) SilentAac.FLV_CODEC_ID);
        p.put("audiochannels", (double) audio.channels());
        p.put("encoder", ENCODER);
        p.put("filesize", 0.0);
        return new Amf0Writer.EcmaArray(p);
    }

    /** The FLV file form: string "onMetaData" + ECMA array. */
    public byte[] onMetaData() {
        return Amf0Writer.encode("onMetaData", properties());
    }

    /** The RTMP form (AMF0 data message): "@setDataFrame", "onMetaData", ECMA array. */
    public byte[] setDataFrame() {
        return Amf0Writer.encode("@setDataFrame", "onMetaData", properties());
    }

    /** The script tag (FLV file form) at {@code timestamp}. */
    public FlvTag tag(long timestamp) {
        return FlvTag.ofOwnedBody(FlvTagType.SCRIPT, timestamp, false, false, false, onMetaData());
    }
}
