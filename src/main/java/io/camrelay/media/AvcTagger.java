package io.camrelay.media;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Turns H.264 access units (Annex B, one picture each, decode order) into FLV video tags
 * (docs/protocols.md A5): AVC NALU tags with 4-byte NAL lengths and a composition time, and an AVC
 * sequence header first and again whenever the SPS or PPS change. AUD, end-of-sequence/stream and filler NAL units
 * are dropped; SPS and PPS go into the sequence header only. Pictures before the first SPS, PPS and IDR picture are
 * dropped and counted, as are pictures after a parameter-set change until the next IDR. Decode and composition
 * times are {@link PictureTimes}': the recorder's times for streams without B-frames, re-timed evenly for B-frame
 * streams; while it cannot tell yet, the first pictures of a stream are held back and handed out together later
 * (docs/timing.md).
 *
 * <p>Stateful: one instance per stream, fed from one thread at a time (one per route).
 */
public final class AvcTagger implements VideoTagger {

    /** FLV CodecID 7 (AVC), FLV 10.1 §E.4.3.1; also onMetaData's videocodecid. */
    public static final int FLV_CODEC_ID = 7;
    /** FrameType 1 (key frame) | CodecID. */
    static final int KEY_FRAME_AVC = 0x10 | FLV_CODEC_ID;
    /** FrameType 2 (inter frame) | CodecID. */
    static final int INTER_FRAME_AVC = 0x20 | FLV_CODEC_ID;
    /** AVCPacketType 0: AVCDecoderConfigurationRecord. */
    static final int AVC_SEQUENCE_HEADER = 0;
    /** AVCPacketType 1: NAL units. */
    static final int AVC_NALU = 1;
    /** AVCPacketType 2: end of sequence. */
    static final int AVC_END_OF_SEQUENCE = 2;
    /** FrameType|CodecID, AVCPacketType, SI24 CompositionTime. */
    static final int VIDEO_TAG_HEADER_LENGTH = 5;
    /** NAL units in FLV are preceded by a 4-byte big-endian length (lengthSizeMinusOne = 3). */
    static final int NAL_LENGTH_SIZE = 4;
    /** Room for this many NAL units is kept between pictures (an access unit rarely has more than a few dozen). */
    static final int RETAINED_NAL_UNITS = 256;
    private static final int INITIAL_NAL_UNITS = 16;

    private final Timeline timeline;
    private final PictureTimes times;
    /** Pictures held back while {@link PictureTimes#holding()}, in decode order. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final Map<Integer, H264Sps> spsById = new LinkedHashMap<>();
    private final Map<Integer, H264Pps> ppsById = new LinkedHashMap<>();
    private byte[] spsNal;
    private final Map<Integer, byte[]> ppsNals = new LinkedHashMap<>();
    private H264Sps activeSps;
    private boolean configChanged;
    private boolean waitingForKeyFrame = true;
    private long droppedPictures;
    private long sequenceHeaders;
    // NAL unit bounds of the current access unit, reused to avoid garbage per picture.
    private int[] nalFrom = new int[INITIAL_NAL_UNITS];
    private int[] nalTo = new int[INITIAL_NAL_UNITS];
    private int nalCount;
    // Built once rather than per picture: a lambda or bound method reference that captures state is a new object
    // each time it is evaluated (issue 6: per-frame garbage of the media path).
    private final AnnexB.NalUnitConsumer nalCollector = this::addNalUnit;
    private final IntFunction<H264Pps> ppsLookup = ppsById::get;
    private final IntFunction<H264Sps> spsLookup = spsById::get;

    /**
     * A picture's body before it is a tag: the video tag header (composition time still 0) with the length of each
     * NAL unit, and where the NAL units lie in the access unit, which the tag reads them from (no copy).
     */
    private record PictureBody(byte[] head, byte[] accessUnit, int[] bounds) {
    }

    /** A picture waiting for its times: its body and what timing it needs. */
    private record Held(PictureBody body, byte[] sequenceHeader, boolean idr, boolean disposable, long timelineMs,
            long decodeIndex, long position, long jumps) {
    }

    /** A tagger whose tags are timed by {@code timeline}. */
    public AvcTagger(Timeline timeline) {
        this.timeline = timeline;
        this.times = new PictureTimes(timeline);
    }

    /** A tagger with its own timeline. */
    public AvcTagger() {
        this(new Timeline());
    }

    /**
     * The tags for one access unit (an unmodifiable list): nothing (dropped, or no picture in it), the picture, or
     * a sequence header followed by the picture.
     *
     * @param accessUnit   Annex B bytes of one coded picture with its parameter sets and SEI; the picture's tag
     *                     reads its NAL units from this array, so the caller must not modify it afterwards
     * @param cameraTimeMs the picture time the camera reported, ms, decode order
     * @throws H264SyntaxException when a parameter set or the slice header is malformed
     */
    @Override
    public List<FlvTag> tag(byte[] accessUnit, long cameraTimeMs) {
        findNalUnits(accessUnit);
        int firstSlice = -1;
        boolean idr = false;
        long payloadSize = VIDEO_TAG_HEADER_LENGTH;
        int keptNalUnits = 0;
        for (int i = 0; i < nalCount; i++) {
            int from = nalFrom[i];
            int to = nalTo[i];
            int type = H264Nal.type(accessUnit[from]);
            if (type == H264Nal.SPS) {
                acceptSps(accessUnit, from, to);
            } else if (type == H264Nal.PPS) {
                acceptPps(accessUnit, from, to);
            } else if (H264Nal.isSlice(type) && firstSlice < 0) {
                firstSlice = i;
            }
            idr |= type == H264Nal.IDR;
            if (!H264Nal.droppedFromPicture(type)) {
                payloadSize += NAL_LENGTH_SIZE + (to - from);
                keptNalUnits++;
            }
        }
        if (firstSlice < 0) {
            return List.of(); // parameter sets or SEI only: nothing to show
        }
        if (configChanged) {
            waitingForKeyFrame = true;
        }
        if (spsNal == null || ppsNals.isEmpty() || (waitingForKeyFrame && !idr)) {
            droppedPictures++;
            return List.of();
        }
        H264SliceHeader slice = H264SliceHeader.parse(accessUnit, nalFrom[firstSlice], nalTo[firstSlice],
                ppsLookup, spsLookup);
        H264Sps sps = spsById.get(ppsById.get(slice.ppsId()).spsId());
        List<FlvTag> released = List.of();
        if (configChanged || activeSps == null) {
            // pictures held under the old parameters are timed with what they showed, before the new sequence
            released = release(true);
            activeSps = sps;
            timeline.setNominalFrameRate(sps.frameRate());
            times.sequence(sps);
        }
        long timelineMs = timeline.next(cameraTimeMs);
        byte[] sequenceHeader = null;
        if (configChanged) {
            sequenceHeader = sequenceHeaderBody();
            sequenceHeaders++;
            configChanged = false;
        }
        waitingForKeyFrame = false;
        boolean disposable = slice.nalRefIdc() == 0;
        PictureBody body = pictureBody(accessUnit, payloadSize, keptNalUnits, idr);
        times.observe(slice, sps, timelineMs);
        if (times.holding() || !held.isEmpty()) {
            held.add(new Held(body, sequenceHeader, idr, disposable, timelineMs, times.decodeIndex(),
                    times.position(), times.jumps()));
            List<FlvTag> out = times.holding() ? List.of() : release(false);
            return released.isEmpty() ? out : concat(released, out);
        }
        times.time(timelineMs, times.decodeIndex(), times.position(), times.jumps());
        FlvTag picture = picture(body, idr, disposable);
        List<FlvTag> out = sequenceHeader == null ? List.of(picture)
                : List.of(sequenceHeaderTag(sequenceHeader), picture);
        return released.isEmpty() ? out : concat(released, out);
    }

    /** The tags of the pictures held back, timed now (decided first when {@code force}); empty when none. */
    private List<FlvTag> release(boolean force) {
        if (held.isEmpty()) {
            return List.of();
        }
        if (force) {
            times.decideNow();
        }
        List<FlvTag> out = new ArrayList<>(held.size() + 1);
        for (Held h = held.poll(); h != null; h = held.poll()) {
            times.time(h.timelineMs(), h.decodeIndex(), h.position(), h.jumps());
            if (h.sequenceHeader() != null) {
                out.add(sequenceHeaderTag(h.sequenceHeader()));
            }
            out.add(picture(h.body(), h.idr(), h.disposable()));
        }
        return List.copyOf(out);
    }

    /** The picture's tag at the decode time just computed, its composition time written into its header. */
    private FlvTag picture(PictureBody body, boolean idr, boolean disposable) {
        int cts = times.cts();
        byte[] head = body.head();
        head[2] = (byte) (cts >> 16); // SI24 composition time
        head[3] = (byte) (cts >> 8);
        head[4] = (byte) cts;
        return FlvTag.ofAccessUnit(times.dts(), idr, disposable, head, body.accessUnit(), body.bounds());
    }

    private FlvTag sequenceHeaderTag(byte[] body) {
        return FlvTag.ofOwnedBody(FlvTagType.VIDEO, times.dts(), true, true, false, body);
    }

    private static List<FlvTag> concat(List<FlvTag> a, List<FlvTag> b) {
        List<FlvTag> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    @Override
    public VideoCodec codec() {
        return VideoCodec.H264;
    }

    @Override
    public VideoFormat format() {
        H264Sps sps = activeSps;
        return sps == null ? null : new VideoFormat(VideoCodec.H264, FLV_CODEC_ID, sps.width(), sps.height(),
                sps.frameRate(), String.format(java.util.Locale.ROOT, "%s profile (%d), level %.1f", profileName(sps),
                sps.profileIdc(), sps.levelIdc() / 10.0), sps.reordersFrames());
    }

    /** The profile's name (H.264 Annex A). */
    private static String profileName(H264Sps sps) {
        return switch (sps.profileIdc()) {
            case 66 -> (sps.constraintFlags() & 0x40) != 0 ? "Constrained Baseline" : "Baseline";
            case 77 -> "Main";
            case 88 -> "Extended";
            case 100 -> "High";
            case 110 -> "High 10";
            case 122 -> "High 4:2:2";
            case 244 -> "High 4:4:4";
            default -> "other";
        };
    }

    /** The end-of-sequence tag ({@code 17 02 00 00 00}) at the last decode time, to write before closing. */
    @Override
    public FlvTag endOfSequence() {
        return endOfSequence(lastTimestamp());
    }

    @Override
    public long lastTimestamp() {
        return times.lastDts(timeline.lastTimestamp());
    }

    /** Pictures held back now, waiting until it is known whether the stream has B-frames (docs/timing.md). */
    public int heldPictures() {
        return held.size();
    }

    /** The end-of-sequence tag ({@code 17 02 00 00 00}) at {@code timestamp}. */
    public static FlvTag endOfSequence(long timestamp) {
        return FlvTag.ofOwnedBody(FlvTagType.VIDEO, timestamp, true, false, false,
                new byte[] {KEY_FRAME_AVC, AVC_END_OF_SEQUENCE, 0, 0, 0});
    }

    /** The SPS of the sequence header last emitted, or null before the first one. */
    public H264Sps activeSps() {
        return activeSps;
    }

    /** Pictures dropped because no SPS/PPS or IDR picture had arrived yet. */
    @Override
    public long droppedPictures() {
        return droppedPictures;
    }

    /** How many sequence headers were emitted (1 + the number of parameter-set changes). */
    @Override
    public long sequenceHeaders() {
        return sequenceHeaders;
    }

    /** The timeline the tags are timed by. */
    @Override
    public Timeline timeline() {
        return timeline;
    }

    /** How many NAL units' bounds the tagger has room for (the memory it holds between pictures). */
    int nalUnitCapacity() {
        return nalFrom.length;
    }

    private void acceptSps(byte[] au, int from, int to) {
        if (spsNal != null && Arrays.equals(spsNal, 0, spsNal.length, au, from, to)) {
            return; // the usual case: cameras repeat the SPS before every IDR
        }
        H264Sps sps = H264Sps.parse(au, from, to);
        spsById.put(sps.spsId(), sps);
        spsNal = Arrays.copyOfRange(au, from, to);
        configChanged = true;
    }

    private void acceptPps(byte[] au, int from, int to) {
        H264Pps pps = H264Pps.parse(au, from, to);
        byte[] known = ppsNals.get(pps.ppsId());
        if (known != null && Arrays.equals(known, 0, known.length, au, from, to)) {
            return;
        }
        if (ppsNals.size() >= AvcConfigRecord.MAX_PPS_COUNT && known == null) {
            throw new H264SyntaxException("more than " + AvcConfigRecord.MAX_PPS_COUNT + " PPS ids in one stream");
        }
        ppsById.put(pps.ppsId(), pps);
        ppsNals.put(pps.ppsId(), Arrays.copyOfRange(au, from, to));
        configChanged = true;
    }

    private byte[] sequenceHeaderBody() {
        byte[] record = AvcConfigRecord.encode(spsNal, new ArrayList<>(ppsNals.values()));
        byte[] body = new byte[VIDEO_TAG_HEADER_LENGTH + record.length];
        body[0] = KEY_FRAME_AVC;
        body[1] = AVC_SEQUENCE_HEADER;
        System.arraycopy(record, 0, body, VIDEO_TAG_HEADER_LENGTH, record.length);
        return body;
    }

    private PictureBody pictureBody(byte[] au, long size, int keptNalUnits, boolean idr) {
        if (size > FlvTag.MAX_BODY_SIZE) {
            throw new MediaFormatException("picture of " + size + " bytes exceeds the FLV tag maximum of "
                    + FlvTag.MAX_BODY_SIZE + " bytes");
        }
        byte[] head = new byte[VIDEO_TAG_HEADER_LENGTH + NAL_LENGTH_SIZE * keptNalUnits];
        int[] bounds = new int[2 * keptNalUnits];
        head[0] = (byte) (idr ? KEY_FRAME_AVC : INTER_FRAME_AVC);
        head[1] = AVC_NALU;
        int pos = VIDEO_TAG_HEADER_LENGTH;
        int kept = 0;
        for (int i = 0; i < nalCount; i++) {
            int from = nalFrom[i];
            int length = nalTo[i] - from;
            if (H264Nal.droppedFromPicture(H264Nal.type(au[from]))) {
                continue;
            }
            head[pos] = (byte) (length >>> 24);
            head[pos + 1] = (byte) (length >>> 16);
            head[pos + 2] = (byte) (length >>> 8);
            head[pos + 3] = (byte) length;
            pos += NAL_LENGTH_SIZE;
            bounds[kept++] = from;
            bounds[kept++] = nalTo[i];
        }
        return new PictureBody(head, au, bounds);
    }

    private void findNalUnits(byte[] au) {
        nalCount = 0;
        if (nalFrom.length > RETAINED_NAL_UNITS) {
            // an access unit of thousands of NAL units must not cost memory for the rest of the stream
            nalFrom = new int[INITIAL_NAL_UNITS];
            nalTo = new int[INITIAL_NAL_UNITS];
        }
        AnnexB.forEachNalUnit(au, nalCollector);
    }

    private void addNalUnit(int from, int to) {
        if (nalCount == nalFrom.length) {
            nalFrom = Arrays.copyOf(nalFrom, nalCount * 2);
            nalTo = Arrays.copyOf(nalTo, nalCount * 2);
        }
        nalFrom[nalCount] = from;
        nalTo[nalCount] = to;
        nalCount++;
    }
}
