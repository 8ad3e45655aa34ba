package io.camrelay.testing;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What a viewer or a platform would judge in one recording (an FLV file nginx-rtmp or CamRelay wrote): decode errors,
 * the video and audio timestamps (ffprobe), their largest gaps and whether they strictly increase, and the hold
 * pictures (repeats of the key frame before them, byte for byte).
 *
 * @param file         the recording
 * @param decodeErrors what {@code ffmpeg -v error} printed (empty: everything decodes)
 * @param video        video packet timestamps (dts, ms) in file order
 * @param audio        audio packet timestamps (dts, ms) in file order
 * @param holdPictures video pictures that repeat the key frame before them exactly
 * @param firstIsKey   the first video picture is a key frame
 */
public record Recording(Path file, String decodeErrors, long[] video, long[] audio, int holdPictures,
                        boolean firstIsKey) {

    /** Reads {@code file} with ffmpeg, ffprobe and the FLV reader. */
    public static Recording of(Path file) {
        List<FfProbe.Packet> packets = FfProbe.packets(file);
        long[] video = packets.stream().filter(p -> p.codecType().equals("video")).mapToLong(FfProbe.Packet::dtsMs)
                .toArray();
        long[] audio = packets.stream().filter(p -> p.codecType().equals("audio")).mapToLong(FfProbe.Packet::dtsMs)
                .toArray();
        List<FlvTag> pictures = FlvFiles.read(file).stream()
                .filter(t -> t.type() == FlvTagType.VIDEO && !t.sequenceHeader()).toList();
        int held = 0;
        byte[] lastKey = null;
        for (FlvTag t : pictures) {
            if (lastKey != null && Arrays.equals(lastKey, t.bodyUnsafe())) {
                held++;
            } else if (t.keyFrame()) {
                lastKey = t.bodyUnsafe();
            }
        }
        return new Recording(file, FfProbe.decodeErrors(file), video, audio, held,
                !pictures.isEmpty() && pictures.get(0).keyFrame());
    }

    /** The largest step between consecutive video timestamps, ms. */
    public long maxVideoGapMs() {
        return maxGap(video);
    }

    /** The largest step between consecutive audio timestamps, ms. */
    public long maxAudioGapMs() {
        return maxGap(audio);
    }

    /** Every video timestamp is after the one before. */
    public boolean videoStrictlyIncreases() {
        return strictlyIncreasing(video);
    }

    /** Every audio timestamp is after the one before. */
    public boolean audioStrictlyIncreases() {
        return strictlyIncreasing(audio);
    }

    /** The media time the recording spans (last video dts), ms. */
    public long durationMs() {
        return video.length == 0 ? 0 : video[video.length - 1] - video[0];
    }

    private static long maxGap(long[] ts) {
        long max = 0;
        for (int i = 1; i < ts.length; i++) {
            max = Math.max(max, ts[i] - ts[i - 1]);
        }
        return max;
    }

    private static boolean strictlyIncreasing(long[] ts) {
        for (int i = 1; i < ts.length; i++) {
            if (ts[i] <= ts[i - 1]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Recording[" + file.getFileName() + ": " + video.length + " video, " + audio.length + " audio, "
                + durationMs() + " ms, max video gap " + maxVideoGapMs() + " ms, max audio gap " + maxAudioGapMs()
                + " ms, " + holdPictures + " hold pictures, video increasing " + videoStrictlyIncreases()
                + ", audio increasing " + audioStrictlyIncreases() + ", decode errors '" + decodeErrors.strip() + "']";
    }
}
