package io.camrelay.media;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The box types of both MP4 writers and the boxes they write alike: file type, movie and track headers, handlers,
 * sample descriptions ({@code avc1} + {@code avcC}, {@code mp4a} + {@code esds}). Section numbers are ISO/IEC
 * 14496-12:2015 unless another part is named.
 */
final class Mp4Boxes {

    /** File Type Box, §4.3. */
    static final int FTYP = Mp4BoxWriter.type("ftyp");
    /** Media Data Box, §8.1.1. */
    static final int MDAT = Mp4BoxWriter.type("mdat");
    /** Movie Box, §8.2.1. */
    static final int MOOV = Mp4BoxWriter.type("moov");
    /** Movie Header Box, §8.2.2. */
    static final int MVHD = Mp4BoxWriter.type("mvhd");
    /** Track Box, §8.3.1. */
    static final int TRAK = Mp4BoxWriter.type("trak");
    /** Track Header Box, §8.3.2. */
    static final int TKHD = Mp4BoxWriter.type("tkhd");
    /** Media Box, §8.4.1. */
    static final int MDIA = Mp4BoxWriter.type("mdia");
    /** Media Header Box, §8.4.2. */
    static final int MDHD = Mp4BoxWriter.type("mdhd");
    /** Handler Reference Box, §8.4.3. */
    static final int HDLR = Mp4BoxWriter.type("hdlr");
    /** Media Information Box, §8.4.4. */
    static final int MINF = Mp4BoxWriter.type("minf");
    /** Video Media Header Box, §12.1.2. */
    static final int VMHD = Mp4BoxWriter.type("vmhd");
    /** Sound Media Header Box, §12.2.2. */
    static final int SMHD = Mp4BoxWriter.type("smhd");
    /** Data Information Box, §8.7.1. */
    static final int DINF = Mp4BoxWriter.type("dinf");
    /** Data Reference Box, §8.7.2. */
    static final int DREF = Mp4BoxWriter.type("dref");
    /** DataEntryUrlBox, §8.7.2. */
    static final int URL = Mp4BoxWriter.type("url ");
    /** Sample Table Box, §8.5.1. */
    static final int STBL = Mp4BoxWriter.type("stbl");
    /** Sample Description Box, §8.5.2. */
    static final int STSD = Mp4BoxWriter.type("stsd");
    /** AVC sample entry, parameter sets in the sample entry only (ISO/IEC 14496-15 §5.4.2.1). */
    static final int AVC1 = Mp4BoxWriter.type("avc1");
    /** AVCConfigurationBox holding the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.4.2.1). */
    static final int AVCC = Mp4BoxWriter.type("avcC");
    /** MPEG-4 audio sample entry (ISO/IEC 14496-14 §5.6.1). */
    static final int MP4A = Mp4BoxWriter.type("mp4a");
    /** ES Descriptor Box (ISO/IEC 14496-14 §5.6.1). */
    static final int ESDS = Mp4BoxWriter.type("esds");
    /** Decoding Time to Sample Box, §8.6.1.2. */
    static final int STTS = Mp4BoxWriter.type("stts");
    /** Composition Time to Sample Box, §8.6.1.3. */
    static final int CTTS = Mp4BoxWriter.type("ctts");
    /** Sync Sample Box, §8.6.2. */
    static final int STSS = Mp4BoxWriter.type("stss");
    /** Sample Size Box, §8.7.3.2. */
    static final int STSZ = Mp4BoxWriter.type("stsz");
    /** Sample To Chunk Box, §8.7.4. */
    static final int STSC = Mp4BoxWriter.type("stsc");
    /** Chunk Offset Box, 32-bit offsets, §8.7.5. */
    static final int STCO = Mp4BoxWriter.type("stco");
    /** Chunk Offset Box, 64-bit offsets, §8.7.5. */
    static final int CO64 = Mp4BoxWriter.type("co64");
    /** Edit Box, §8.6.5. */
    static final int EDTS = Mp4BoxWriter.type("edts");
    /** Edit List Box, §8.6.6. */
    static final int ELST = Mp4BoxWriter.type("elst");
    /** Movie Extends Box, §8.8.1. */
    static final int MVEX = Mp4BoxWriter.type("mvex");
    /** Track Extends Box, §8.8.3. */
    static final int TREX = Mp4BoxWriter.type("trex");
    /** Movie Fragment Box, §8.8.4. */
    static final int MOOF = Mp4BoxWriter.type("moof");
    /** Movie Fragment Header Box, §8.8.5. */
    static final int MFHD = Mp4BoxWriter.type("mfhd");
    /** Track Fragment Box, §8.8.6. */
    static final int TRAF = Mp4BoxWriter.type("traf");
    /** Track Fragment Header Box, §8.8.7. */
    static final int TFHD = Mp4BoxWriter.type("tfhd");
    /** Track Fragment Run Box, §8.8.8. */
    static final int TRUN = Mp4BoxWriter.type("trun");
    /** Track Fragment Base Media Decode Time Box, §8.8.12. */
    static final int TFDT = Mp4BoxWriter.type("tfdt");

    /** Brand of the ISO base media format, §4.3 / §E.2. */
    static final int BRAND_ISOM = Mp4BoxWriter.type("isom");
    /** Brand adding the features of the second edition (§E.3), such as 64-bit offsets. */
    static final int BRAND_ISO2 = Mp4BoxWriter.type("iso2");
    /** Brand requiring default-base-is-moof and tfdt in movie fragments (§E.6). */
    static final int BRAND_ISO5 = Mp4BoxWriter.type("iso5");
    /** Brand adding the features of the fourth edition, such as trun version 1 (§E.7). */
    static final int BRAND_ISO6 = Mp4BoxWriter.type("iso6");
    /** Brand of AVC content (ISO/IEC 14496-15 §5.4.1). */
    static final int BRAND_AVC1 = Mp4BoxWriter.type("avc1");
    /** Brand of the MP4 file format (ISO/IEC 14496-14 §4). */
    static final int BRAND_MP41 = Mp4BoxWriter.type("mp41");
    /** minor_version written with our brands, as FFmpeg and most muxers do. */
    static final int MINOR_VERSION = 0x200;

    /** handler_type of a video track, §8.4.3.3. */
    static final int HANDLER_VIDEO = Mp4BoxWriter.type("vide");
    /** handler_type of an audio track, §8.4.3.3. */
    static final int HANDLER_SOUND = Mp4BoxWriter.type("soun");

    /** The movie timescale: ms, the unit of FLV timestamps. */
    static final int MOVIE_TIMESCALE = 1000;
    /** The video track's timescale: also ms, so FLV decode and composition times map exactly (docs/mp4.md). */
    static final int VIDEO_TIMESCALE = 1000;
    /** Track_ID of the video track, §8.3.2.3 (never 0). */
    static final int VIDEO_TRACK_ID = 1;
    /** Track_ID of the audio track. */
    static final int AUDIO_TRACK_ID = 2;
    /** next_track_ID of mvhd: one more than the largest track ID in use, §8.2.2.3. */
    static final int NEXT_TRACK_ID = 3;

    /** tkhd flags: track_enabled | track_in_movie, §8.3.2.3. */
    static final int TRACK_ENABLED_IN_MOVIE = 0x000003;
    /** Fixed-point 1.0 (16.16): mvhd rate, matrix. */
    static final int FIXED_ONE = 0x0001_0000;
    /** Fixed-point 1.0 (8.8): mvhd and audio tkhd volume. */
    static final int VOLUME_FULL = 0x0100;
    /** The matrix's w component, 2.30 fixed-point 1.0. */
    static final int FIXED_2_30_ONE = 0x4000_0000;
    /** ISO-639-2/T "und", packed as three 5-bit letters (§8.4.2.3). */
    static final int LANGUAGE_UNDETERMINED = ((('u' - 0x60) << 10) | (('n' - 0x60) << 5) | ('d' - 0x60));
    /** vmhd flags are 1 (§12.1.2.2, "for historical reasons"). */
    static final int VMHD_FLAGS = 1;
    /** DataEntryUrlBox flag: the media data is in this file, §8.7.2.3. */
    static final int SELF_CONTAINED = 1;
    /** 72 dpi as 16.16, the resolution every visual sample entry states, §12.1.3.2. */
    static final int RESOLUTION_72_DPI = 0x0048_0000;
    /** Visual sample entry depth: colour, no alpha, §12.1.3.2. */
    static final int DEPTH_COLOUR = 0x0018;
    /** Audio sample entry samplesize, §12.2.3.2. */
    static final int AUDIO_SAMPLE_SIZE = 16;
    /** data_reference_index of every sample entry: the one self-contained dref entry, §8.5.2.2. */
    static final int DATA_REFERENCE_INDEX = 1;
    /** ES_DescrTag (ISO/IEC 14496-1 §7.2.2.1, Table 1). */
    static final int ES_DESCRIPTOR_TAG = 0x03;
    /** DecoderConfigDescrTag (ISO/IEC 14496-1 §7.2.2.1). */
    static final int DECODER_CONFIG_TAG = 0x04;
    /** DecSpecificInfoTag (ISO/IEC 14496-1 §7.2.2.1): here the AudioSpecificConfig. */
    static final int DECODER_SPECIFIC_INFO_TAG = 0x05;
    /** SLConfigDescrTag (ISO/IEC 14496-1 §7.2.2.1). */
    static final int SL_CONFIG_TAG = 0x06;
    /** objectTypeIndication 0x40: Audio ISO/IEC 14496-3 (ISO/IEC 14496-1 §7.2.6.6.2, Table 5). */
    static final int OBJECT_TYPE_MPEG4_AUDIO = 0x40;
    /** streamType 5 (AudioStream) << 2 | upStream 0 | reserved 1 (ISO/IEC 14496-1 §7.2.6.6, Table 6). */
    static final int STREAM_TYPE_AUDIO = (0x05 << 2) | 1;
    /** SLConfigDescriptor predefined 2: reserved for MP4 files (ISO/IEC 14496-14 §3.1.2). */
    static final int SL_PREDEFINED_MP4 = 2;
    /** A 32-bit field's largest value; past it, a version 1 box with 64-bit times. */
    static final long MAX_U32 = 0xFFFF_FFFFL;

    private Mp4Boxes() {
    }

    /** ftyp: the major brand, {@link #MINOR_VERSION}, the compatible brands. */
    static void ftyp(Mp4BoxWriter w, int majorBrand, int... compatibleBrands) {
        w.begin(FTYP).u32(majorBrand).u32(MINOR_VERSION);
        for (int brand : compatibleBrands) {
            w.u32(brand);
        }
        w.end();
    }

    /** mvhd with {@code duration} in {@link #MOVIE_TIMESCALE} units; version 1 when it needs 64 bits. */
    static void mvhd(Mp4BoxWriter w, long duration) {
        boolean wide = duration > MAX_U32;
        w.beginFull(MVHD, wide ? 1 : 0, 0);
        times(w, wide, MOVIE_TIMESCALE, duration);
        w.u32(FIXED_ONE).u16(VOLUME_FULL).zeros(2 + 8); // rate, volume, reserved
        matrix(w);
        w.zeros(6 * 4).u32(NEXT_TRACK_ID).end(); // pre_defined, next_track_ID
    }

    /**
     * tkhd of an enabled track with {@code duration} in movie timescale units.
     *
     * @param width  0 for audio, else pixels (written as 16.16)
     * @param height 0 for audio, else pixels
     */
    static void tkhd(Mp4BoxWriter w, int trackId, long duration, boolean audio, int width, int height) {
        boolean wide = duration > MAX_U32;
        w.beginFull(TKHD, wide ? 1 : 0, TRACK_ENABLED_IN_MOVIE);
        if (wide) {
            w.u64(0).u64(0).u32(trackId).u32(0).u64(duration); // creation, modification, ID, reserved, duration
        } else {
            w.u32(0).u32(0).u32(trackId).u32(0).u32(duration);
        }
        w.zeros(8).u16(0).u16(0).u16(audio ? VOLUME_FULL : 0).u16(0); // reserved, layer, group, volume, reserved
        matrix(w);
        w.u32(width << 16).u32(height << 16).end();
    }

    /** mdhd with the media's timescale and duration (in that timescale), language "und". */
    static void mdhd(Mp4BoxWriter w, int timescale, long duration) {
        boolean wide = duration > MAX_U32;
        w.beginFull(MDHD, wide ? 1 : 0, 0);
        times(w, wide, timescale, duration);
        w.u16(LANGUAGE_UNDETERMINED).u16(0).end(); // language, pre_defined
    }

    /** hdlr naming the track's kind. */
    static void hdlr(Mp4BoxWriter w, boolean audio) {
        byte[] name = ((audio ? "SoundHandler" : "VideoHandler") + '\0').getBytes(StandardCharsets.UTF_8);
        w.beginFull(HDLR, 0, 0).u32(0).u32(audio ? HANDLER_SOUND : HANDLER_VIDEO).zeros(3 * 4).bytes(name).end();
    }

    /** vmhd or smhd, then dinf with one self-contained url entry. */
    static void mediaHeaderAndDataInformation(Mp4BoxWriter w, boolean audio) {
        if (audio) {
            w.beginFull(SMHD, 0, 0).u16(0).u16(0).end(); // balance, reserved
        } else {
            w.beginFull(VMHD, 0, VMHD_FLAGS).u16(0).zeros(3 * 2).end(); // graphicsmode, opcolor
        }
        w.begin(DINF).beginFull(DREF, 0, 0).u32(1).beginFull(URL, 0, SELF_CONTAINED).end().end().end();
    }

    /** stsd with one avc1 entry per video configuration, in order (sample_description_index 1, 2, ...). */
    static void videoSampleDescriptions(Mp4BoxWriter w, List<Mp4VideoConfig> configs) {
        w.beginFull(STSD, 0, 0).u32(configs.size());
        for (Mp4VideoConfig config : configs) {
            avc1(w, config);
        }
        w.end();
    }

    /** stsd with one mp4a entry per audio configuration, in order. */
    static void audioSampleDescriptions(Mp4BoxWriter w, List<Mp4AudioConfig> configs) {
        w.beginFull(STSD, 0, 0).u32(configs.size());
        for (Mp4AudioConfig config : configs) {
            mp4a(w, config);
        }
        w.end();
    }

    /** avc1 (VisualSampleEntry, §12.1.3) holding avcC with the record as the sequence header had it. */
    static void avc1(Mp4BoxWriter w, Mp4VideoConfig config) {
        w.begin(AVC1).zeros(6).u16(DATA_REFERENCE_INDEX);
        w.u16(0).u16(0).zeros(3 * 4); // pre_defined, reserved, pre_defined
        w.u16(config.width()).u16(config.height()).u32(RESOLUTION_72_DPI).u32(RESOLUTION_72_DPI).u32(0);
        w.u16(1).zeros(32).u16(DEPTH_COLOUR).u16(0xFFFF); // frame_count, compressorname, depth, pre_defined -1
        w.begin(AVCC).bytes(config.recordUnsafe()).end();
        w.end();
    }

    /** mp4a (AudioSampleEntry, §12.2.3) holding esds with the AudioSpecificConfig. */
    static void mp4a(Mp4BoxWriter w, Mp4AudioConfig config) {
        w.begin(MP4A).zeros(6).u16(DATA_REFERENCE_INDEX).zeros(2 * 4);
        w.u16(config.channels()).u16(AUDIO_SAMPLE_SIZE).u16(0).u16(0);
        // samplerate is 16.16: a rate above 65535 Hz does not fit, and decoders read the AudioSpecificConfig anyway
        w.u32(config.sampleRate() <= 0xFFFF ? config.sampleRate() << 16 : 0);
        esds(w, config.ascUnsafe());
        w.end();
    }

    /**
     * esds: ES_Descriptor (ISO/IEC 14496-1 §7.2.6.5) holding the DecoderConfigDescriptor (§7.2.6.6, MPEG-4 audio,
     * buffer size and bit rates 0: not stated) with the AudioSpecificConfig as DecoderSpecificInfo, and the
     * SLConfigDescriptor MP4 files use.
     */
    static void esds(Mp4BoxWriter w, byte[] asc) {
        int decoderConfigLength = 13 + descriptorLength(asc.length);
        int esLength = 3 + descriptorLength(decoderConfigLength) + descriptorLength(1);
        w.beginFull(ESDS, 0, 0);
        descriptorHeader(w, ES_DESCRIPTOR_TAG, esLength);
        w.u16(0).u8(0); // ES_ID (0 in files, ISO/IEC 14496-14 §3.1.2), no dependency, URL or OCR stream
        descriptorHeader(w, DECODER_CONFIG_TAG, decoderConfigLength);
        w.u8(OBJECT_TYPE_MPEG4_AUDIO).u8(STREAM_TYPE_AUDIO).u24(0).u32(0).u32(0);
        descriptorHeader(w, DECODER_SPECIFIC_INFO_TAG, asc.length);
        w.bytes(asc);
        descriptorHeader(w, SL_CONFIG_TAG, 1);
        w.u8(SL_PREDEFINED_MP4);
        w.end();
    }

    /** stts, stsc, stsz and stco without entries: the sample table of a fragmented file's moov (§8.8.1). */
    static void emptySampleTables(Mp4BoxWriter w) {
        w.beginFull(STTS, 0, 0).u32(0).end();
        w.beginFull(STSC, 0, 0).u32(0).end();
        w.beginFull(STSZ, 0, 0).u32(0).u32(0).end();
        w.beginFull(STCO, 0, 0).u32(0).end();
    }

    /** The bytes a descriptor of {@code payload} bytes takes with its tag and size (ISO/IEC 14496-1 §8.3.3). */
    static int descriptorLength(int payload) {
        return 1 + sizeBytes(payload) + payload;
    }

    private static void descriptorHeader(Mp4BoxWriter w, int tag, int size) {
        w.u8(tag);
        // expandable size: 7 bits per byte, most significant first, bit 7 set on all but the last
        for (int shift = 7 * (sizeBytes(size) - 1); shift > 0; shift -= 7) {
            w.u8(0x80 | ((size >>> shift) & 0x7F));
        }
        w.u8(size & 0x7F);
    }

    private static int sizeBytes(int size) {
        int n = 1;
        while (size >>> (7 * n) != 0) {
            n++;
        }
        return n;
    }

    /** creation_time and modification_time (0: not stated), timescale, duration, 32 or 64 bits (§8.2.2.2). */
    private static void times(Mp4BoxWriter w, boolean wide, int timescale, long duration) {
        if (wide) {
            w.u64(0).u64(0).u32(timescale).u64(duration);
        } else {
            w.u32(0).u32(0).u32(timescale).u32(duration);
        }
    }

    /** The unity transformation matrix, §6.2.2. */
    private static void matrix(Mp4BoxWriter w) {
        w.u32(FIXED_ONE).u32(0).u32(0).u32(0).u32(FIXED_ONE).u32(0).u32(0).u32(0).u32(FIXED_2_30_ONE);
    }
}
