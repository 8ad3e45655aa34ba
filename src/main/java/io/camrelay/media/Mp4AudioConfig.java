package io.camrelay.media;

import java.util.Arrays;
import java.util.Locale;

/**
 * An AAC decoder configuration as an MP4 {@code mp4a} sample entry needs it: the AudioSpecificConfig of an FLV AAC
 * sequence header (ISO/IEC 14496-3 §1.6.2.1), copied into {@code esds} untouched, and what it says.
 *
 * @param asc             the AudioSpecificConfig bytes
 * @param objectType      audioObjectType: 1 AAC Main, 2 AAC LC, 3 AAC SSR, 4 AAC LTP
 * @param sampleRate      samples per second
 * @param channels        output channels of the channelConfiguration
 * @param samplesPerFrame 1024, or 960 when frameLengthFlag is set (GASpecificConfig, §4.4.1)
 */
record Mp4AudioConfig(byte[] asc, int objectType, int sampleRate, int channels, int samplesPerFrame) {

    /** audioObjectType 31 escapes to 32 + a 6-bit value (§1.6.2.1). */
    static final int OBJECT_TYPE_ESCAPE = 31;
    /** samplingFrequencyIndex 15: a 24-bit samplingFrequency follows (§1.6.2.1). */
    static final int FREQUENCY_INDEX_ESCAPE = 15;
    /** Sampling frequencies by samplingFrequencyIndex (§1.6.3.4, Table 1.18). */
    private static final int[] SAMPLE_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
        11025, 8000, 7350};
    /** Channels by channelConfiguration 1..7 (§1.6.3.5, Table 1.19); 0 means a program config element follows. */
    private static final int[] CHANNELS = {0, 1, 2, 3, 4, 5, 6, 8};
    /** The GA object types (§4.4.1: GASpecificConfig) whose frame length is 1024 or 960: Main, LC, SSR, LTP. */
    static final int MAX_GA_OBJECT_TYPE = 4;
    /** Samples per frame of a GA object type without frameLengthFlag. */
    static final int FRAME_LENGTH = 1024;
    /** ... and with it. */
    static final int SHORT_FRAME_LENGTH = 960;

    Mp4AudioConfig {
        asc = asc.clone();
        if (sampleRate <= 0 || channels <= 0 || samplesPerFrame <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "AAC config of %d Hz, %d channels, %d samples per frame (expected positive values)", sampleRate,
                    channels, samplesPerFrame));
        }
    }

    /**
     * Parses the AudioSpecificConfig in {@code body[from..]} (an FLV AAC sequence header after {@code AF 00}).
     *
     * @param timestamp the tag's timestamp, for the error message
     * @throws Mp4FormatException when it is truncated, of an object type other than AAC Main/LC/SSR/LTP, or leaves
     *                            the channels to a program config element
     */
    static Mp4AudioConfig parse(byte[] body, int from, long timestamp) {
        long bits = 0;
        int available = 0;
        for (int i = from; i < Math.min(body.length, from + 7); i++) {
            bits = (bits << 8) | (body[i] & 0xFF);
            available += 8;
        }
        BitCursor r = new BitCursor(bits, available, timestamp);
        int objectType = r.read(5);
        if (objectType == OBJECT_TYPE_ESCAPE) {
            objectType = 32 + r.read(6);
        }
        if (objectType < 1 || objectType > MAX_GA_OBJECT_TYPE) {
            throw new Mp4FormatException(String.format(Locale.ROOT, "AAC sequence header at %d ms: audio object type "
                    + "%d is not supported (expected 1..%d: AAC Main, LC, SSR, LTP)", timestamp, objectType,
                    MAX_GA_OBJECT_TYPE));
        }
        int index = r.read(4);
        int sampleRate;
        if (index == FREQUENCY_INDEX_ESCAPE) {
            sampleRate = r.read(24);
        } else if (index < SAMPLE_RATES.length) {
            sampleRate = SAMPLE_RATES[index];
        } else {
            throw new Mp4FormatException(String.format(Locale.ROOT, "AAC sequence header at %d ms: sampling "
                    + "frequency index %d is reserved (expected 0..%d or 15)", timestamp, index,
                    SAMPLE_RATES.length - 1));
        }
        int channelConfiguration = r.read(4);
        if (channelConfiguration == 0 || channelConfiguration >= CHANNELS.length) {
            throw new Mp4FormatException(String.format(Locale.ROOT, "AAC sequence header at %d ms: channel "
                    + "configuration %d is not supported (expected 1..%d; 0 needs a program config element)",
                    timestamp, channelConfiguration, CHANNELS.length - 1));
        }
        int samplesPerFrame = r.read(1) == 0 ? FRAME_LENGTH : SHORT_FRAME_LENGTH;
        if (sampleRate <= 0) {
            throw new Mp4FormatException("AAC sequence header at " + timestamp + " ms: sampling frequency "
                    + sampleRate + " Hz (expected a positive rate)");
        }
        return new Mp4AudioConfig(Arrays.copyOfRange(body, from, body.length), objectType, sampleRate,
                CHANNELS[channelConfiguration], samplesPerFrame);
    }

    /** The RFC 6381 §3.3 codec string: {@code mp4a.40.<audioObjectType>} (40: objectTypeIndication of MPEG-4 audio). */
    String codecString() {
        return "mp4a.40." + objectType;
    }

    @Override
    public byte[] asc() {
        return asc.clone();
    }

    /** The AudioSpecificConfig itself, for the box writer, which only reads it. */
    byte[] ascUnsafe() {
        return asc;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mp4AudioConfig c && Arrays.equals(c.asc, asc);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(asc);
    }

    @Override
    public String toString() {
        return "Mp4AudioConfig[" + codecString() + " " + sampleRate + " Hz, " + channels + " ch, " + asc.length
                + " bytes]";
    }

    /** Reads the first bits of the config, most significant first. */
    private static final class BitCursor {
        private final long bits;
        private final long timestamp;
        private int left;

        BitCursor(long bits, int available, long timestamp) {
            this.bits = bits;
            this.left = available;
            this.timestamp = timestamp;
        }

        int read(int count) {
            if (count > left) {
                throw new Mp4FormatException("AAC sequence header at " + timestamp + " ms ends inside its "
                        + "AudioSpecificConfig (expected at least 2 bytes, ISO/IEC 14496-3 §1.6.2.1)");
            }
            left -= count;
            return (int) ((bits >>> left) & ((1L << count) - 1));
        }
    }
}
