package io.camrelay.streams;

import io.camrelay.media.AccessUnits;
import io.camrelay.media.AnnexB;
import io.camrelay.media.AvcTagger;
import io.camrelay.media.FlvFileReader;
import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.media.H264Sps;
import io.camrelay.media.MediaFormatException;
import io.camrelay.media.Timeline;
import io.camrelay.media.VideoCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An operator's hold slate (the streams file's {@code hold.slate}, docs/design.md §7a): an H.264 file, Annex B
 * ({@code .h264}, {@code .264}; timed by its SPS's frame rate) or FLV ({@code .flv}; timed by its tags), read whole
 * into FLV tags that loop while the camera is away. The first picture must be a key frame and no two pictures may be
 * more than {@link #MAX_PICTURE_GAP_MS} apart, so the destinations get at least one picture per second. Immutable.
 *
 * <p>One ffmpeg command makes one from a picture: {@code ffmpeg -loop 1 -framerate 2 -i offline.png -t 2
 * -vf "scale=1920:1080,format=yuv420p" -c:v libx264 -tune stillimage -g 2 -bf 0 -f h264 config/offline.h264}.
 */
final class HoldSlate {

    /** A slate file larger than this is not a slate (a recording named .h264); reading it whole would be a mistake. */
    static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
    /** At least one picture per second (docs/design.md §7a). */
    static final long MAX_PICTURE_GAP_MS = 1000;
    /** The frame rate of an Annex B slate whose SPS does not say. */
    static final double DEFAULT_FRAME_RATE = 25.0;
    /** The file endings read as Annex B. */
    private static final List<String> ANNEX_B_ENDINGS = List.of(".h264", ".264");
    private static final String FLV_ENDING = ".flv";
    /** nal_unit_type of a sequence parameter set (H.264 Table 7-1). */
    private static final int NAL_TYPE_SPS = 7;
    /** The nal_unit_type bits of a NAL unit's first byte (H.264 §7.3.1). */
    private static final int NAL_TYPE_MASK = 0x1F;

    private final Path file;
    private final List<FlvTag> pictures;
    private final long[] offsetsMs;
    private final long periodMs;
    private final FlvTag sequenceHeader;

    private HoldSlate(Path file, List<FlvTag> pictures, long[] offsetsMs, long periodMs, FlvTag sequenceHeader) {
        this.file = file;
        this.pictures = List.copyOf(pictures);
        this.offsetsMs = offsetsMs;
        this.periodMs = periodMs;
        this.sequenceHeader = sequenceHeader;
    }

    /** Whether {@code file}'s name ends as a slate may (.h264, .264 or .flv). */
    static boolean knownEnding(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(FLV_ENDING) || ANNEX_B_ENDINGS.stream().anyMatch(name::endsWith);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file, what is wrong and the fix
     */
    static HoldSlate load(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("the slate " + file + " is " + size + " bytes; a slate is a few"
                        + " pictures (at most " + MAX_FILE_BYTES + " bytes)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("the slate " + file + " cannot be read (" + e.getMessage() + "): "
                    + "make it with ffmpeg (see the README, 'When the camera goes away')", e);
        }
        if (!knownEnding(file)) {
            throw new IllegalArgumentException("the slate " + file + " is neither .h264 (Annex B) nor .flv");
        }
        try {
            List<FlvTag> tags = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(FLV_ENDING)
                    ? FlvFileReader.read(bytes) : fromAnnexB(bytes);
            return of(file, tags);
        } catch (MediaFormatException e) {
            throw new IllegalArgumentException("the slate " + file + " is not H.264 CamRelay can send: "
                    + e.getMessage(), e);
        }
    }

    /** Tags an Annex B stream with a fresh tagger, one picture per frame interval of its SPS's frame rate. */
    private static List<FlvTag> fromAnnexB(byte[] stream) {
        double fps = DEFAULT_FRAME_RATE;
        for (byte[] nal : AnnexB.nalUnits(stream)) {
            if ((nal[0] & NAL_TYPE_MASK) == NAL_TYPE_SPS) {
                double signalled = H264Sps.parse(nal).frameRate();
                if (signalled > 0) {
                    fps = signalled;
                }
                break;
            }
        }
        AvcTagger tagger = new AvcTagger(new Timeline());
        List<FlvTag> tags = new ArrayList<>();
        int n = 0;
        for (byte[] unit : AccessUnits.split(stream, VideoCodec.H264)) {
            tags.addAll(tagger.tag(unit, Math.round(n++ * 1000 / fps)));
        }
        return tags;
    }

    private static HoldSlate of(Path file, List<FlvTag> tags) {
        FlvTag header = null;
        List<FlvTag> pictures = new ArrayList<>();
        for (FlvTag t : tags) {
            if (t.type() != FlvTagType.VIDEO) {
                continue;
            }
            if (t.codecId() != AvcTagger.FLV_CODEC_ID) {
                throw new IllegalArgumentException("the slate " + file + " is not H.264 (FLV video codec "
                        + t.codecId() + ")");
            }
            if (t.sequenceHeader()) {
                if (header != null && !Arrays.equals(header.bodyUnsafe(), t.bodyUnsafe())) {
                    throw new IllegalArgumentException("the slate " + file + " changes its SPS/PPS; make it with one"
                            + " encoder run");
                }
                header = t;
            } else if (pictures.isEmpty() && !t.keyFrame()) {
                continue; // pictures before the first key frame cannot be decoded
            } else {
                pictures.add(t);
            }
        }
        if (header == null || pictures.isEmpty()) {
            throw new IllegalArgumentException("the slate " + file + " has no H.264 key frame with its SPS/PPS");
        }
        long first = pictures.get(0).timestamp();
        long[] offsets = new long[pictures.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = Math.max(i == 0 ? 0 : offsets[i - 1] + 1, pictures.get(i).timestamp() - first);
            if (i > 0 && offsets[i] - offsets[i - 1] > MAX_PICTURE_GAP_MS) {
                throw new IllegalArgumentException("the slate " + file + " has pictures " + (offsets[i] - offsets[i - 1])
                        + " ms apart; at most " + MAX_PICTURE_GAP_MS + " ms keeps at least one picture per second");
            }
        }
        long interval = offsets.length > 1 ? Math.max(1, offsets[offsets.length - 1] / (offsets.length - 1))
                : HoldPictures.FREEZE_INTERVAL_MS;
        if (interval > MAX_PICTURE_GAP_MS) {
            throw new IllegalArgumentException("the slate " + file + " has less than one picture per second");
        }
        return new HoldSlate(file, pictures, offsets, offsets[offsets.length - 1] + interval, header);
    }

    /** The file it was read from. */
    Path file() {
        return file;
    }

    /** The slate's AVC sequence header. */
    FlvTag sequenceHeader() {
        return sequenceHeader;
    }

    /** Its pictures, in a loop. */
    HoldPictures pictures() {
        return HoldPictures.loop(pictures, offsetsMs, periodMs, sequenceHeader);
    }

    @Override
    public String toString() {
        return "HoldSlate[" + file + ", " + pictures.size() + " picture(s), " + periodMs + " ms]";
    }
}
