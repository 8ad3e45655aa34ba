package io.camrelay.media;

import java.util.Locale;

/**
 * A silent AAC-LC track (docs/protocols.md A7): the AudioSpecificConfig, the one raw frame that
 * decodes to 1024 samples of silence, their FLV audio tag bodies and the frame timestamps. 48 kHz stereo by default
 * ({@link #DEFAULT}); 44.1 kHz and mono are selectable.
 *
 * @param sampleRate 44100 or 48000
 * @param channels   1 (mono) or 2 (stereo)
 */
public record SilentAac(int sampleRate, int channels) {

    /** 48 kHz stereo: what docs/protocols.md A7 recommends and what Facebook and Twitch list. */
    public static final SilentAac DEFAULT = new SilentAac(48_000, 2);
    /** Samples per AAC-LC frame. */
    public static final int SAMPLES_PER_FRAME = 1024;
    /** FLV SoundFormat 10 (AAC) | rate 3 | 16-bit | stereo: written for every AAC tag (§A7, FLV 10.1 §E.4.2.1). */
    static final int AAC_TAG_HEADER = 0xAF;
    /** AACPacketType 0: AudioSpecificConfig. */
    static final int AAC_SEQUENCE_HEADER = 0;
    /** AACPacketType 1: a raw AAC frame. */
    static final int AAC_RAW = 1;
    /** Audio object type 2 (AAC-LC), ISO/IEC 14496-3 §1.5.1.1. */
    static final int AOT_AAC_LC = 2;
    /** samplingFrequencyIndex of 48000 Hz (ISO/IEC 14496-3 Table 1.18). */
    static final int FREQUENCY_INDEX_48000 = 3;
    /** samplingFrequencyIndex of 44100 Hz. */
    static final int FREQUENCY_INDEX_44100 = 4;
    /** codecid of AAC in onMetaData (FLV SoundFormat 10). */
    public static final int FLV_CODEC_ID = 10;

    /** A silent mono frame: SCE, global_gain 140, max_sfb 0, END (§A7, identical to FFmpeg's anullsrc output). */
    private static final byte[] SILENT_MONO = {0x01, 0x18, 0x20, 0x07};
    /** A silent stereo frame: CPE with common window, max_sfb 0, two ICS with gain 140, END + 2 pad bits. */
    private static final byte[] SILENT_STEREO = {0x21, 0x10, 0x04, 0x60, (byte) 0x8C, 0x1C};

    public SilentAac {
        if (sampleRate != 48_000 && sampleRate != 44_100) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "silent AAC sample rate %d Hz is not supported (expected 44100 or 48000: YouTube flags others)",
                    sampleRate));
        }
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("silent AAC channels " + channels + " is not supported (expected 1 or 2)");
        }
    }

    /** Whether the track is stereo. */
    public boolean stereo() {
        return channels == 2;
    }

    /** The 2-byte AudioSpecificConfig: AOT 2, frequency index, channel configuration, three zero bits. */
    public byte[] audioSpecificConfig() {
        int index = sampleRate == 48_000 ? FREQUENCY_INDEX_48000 : FREQUENCY_INDEX_44100;
        int bits = (AOT_AAC_LC << 11) | (index << 7) | (channels << 3);
        return new byte[] {(byte) (bits >>> 8), (byte) bits};
    }

    /** One raw AAC frame of silence (no ADTS header). */
    public byte[] rawFrame() {
        return (stereo() ? SILENT_STEREO : SILENT_MONO).clone();
    }

    /** The body of the AAC sequence header tag: {@code AF 00} + AudioSpecificConfig. */
    public byte[] sequenceHeaderBody() {
        byte[] asc = audioSpecificConfig();
        byte[] body = new byte[2 + asc.length];
        body[0] = (byte) AAC_TAG_HEADER;
        body[1] = AAC_SEQUENCE_HEADER;
        System.arraycopy(asc, 0, body, 2, asc.length);
        return body;
    }

    /** The body of a silent frame tag: {@code AF 01} + the raw frame. */
    public byte[] frameBody() {
        byte[] frame = stereo() ? SILENT_STEREO : SILENT_MONO;
        byte[] body = new byte[2 + frame.length];
        body[0] = (byte) AAC_TAG_HEADER;
        body[1] = AAC_RAW;
        System.arraycopy(frame, 0, body, 2, frame.length);
        return body;
    }

    /**
     * The timestamp of frame {@code n} in ms: {@code round(n × 1024 × 1000 / rate)}, computed from the sample count
     * so it never drifts (a rounded step accumulated would drift about 1 s every 1–2 minutes, §A7).
     */
    public long timestampMs(long n) {
        return (n * SAMPLES_PER_FRAME * 1000 + sampleRate / 2) / sampleRate;
    }

    /** The AAC bit rate the metadata declares, kbit/s (the silent frames themselves need about 2). */
    public int declaredKbps() {
        return stereo() ? 128 : 64;
    }
}
