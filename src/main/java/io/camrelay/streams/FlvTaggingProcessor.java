package io.camrelay.streams;

import io.camrelay.support.MediaHeaders;
import io.camrelay.media.AvcTagger;
import io.camrelay.media.FlvMetadata;
import io.camrelay.media.FlvTag;
import io.camrelay.media.H264Sps;
import io.camrelay.media.SilentAac;
import io.camrelay.media.VideoCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each H.264 access unit into FLV tags (architecture.md §3): body {@code byte[]} Annex B in,
 * {@code List<FlvTag>} out: onMetaData when the picture size or rate is new, the AVC sequence header when the
 * parameter sets are new or changed, then the picture (an empty list while waiting for the first IDR picture).
 * Times come from {@link MediaHeaders#PICTURE_TIME}; the picture's timeline ms is set as
 * {@link MediaHeaders#TIMELINE_MS}. Keeps the figures the status page shows (pictures, bytes, key-frame
 * interval, size, frame rate).
 *
 * <p><b>Stateful</b> (tagger and timeline of one stream): create one instance per route, e.g. as a bean of the
 * route template instance or with {@code new} in a RouteBuilder; never share one between routes.
 */
public final class FlvTaggingProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FlvTaggingProcessor.class);

    private final AvcTagger tagger = new AvcTagger();
    private SilentAac audio = SilentAac.DEFAULT;
    private FlvMetadata lastMetadata;
    private long pictures;
    private long bytesIn;
    private long lastKeyFrameMs = -1;
    private long keyFrameIntervalMs;
    private long discontinuitiesLogged;

    /** The audio track the metadata declares (must match the {@link SilentAudioProcessor}'s); 48 kHz stereo. */
    public void setAudio(SilentAac audio) {
        this.audio = java.util.Objects.requireNonNull(audio, "audio");
    }

    @Override
    public synchronized void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        byte[] accessUnit = message.getMandatoryBody(byte[].class);
        Long pictureTime = message.getHeader(MediaHeaders.PICTURE_TIME, Long.class);
        if (pictureTime == null) {
            throw new IllegalArgumentException("header " + MediaHeaders.PICTURE_TIME + " is missing: put the "
                    + "StripHeaderProcessor before FLV tagging");
        }
        VideoCodec codec = message.getHeader(MediaHeaders.CODEC, VideoCodec.class);
        if (codec != null && codec != VideoCodec.H264) {
            // CodecValidationProcessor lets H.265 through only on opt-in; its E-RTMP tagging does not exist yet
            throw new IllegalStateException("camera " + message.getHeader(MediaHeaders.CAMERA_ID) + " sends "
                    + codec.displayName() + ", which this version of CamRelay cannot put into FLV (only H.264): set "
                    + "the camera's stream to H.264 in the Management Client");
        }
        bytesIn += accessUnit.length;
        List<FlvTag> tags = tagger.tag(accessUnit, pictureTime);
        if (!tags.isEmpty() && tags.get(0).sequenceHeader()) {
            tags = withMetadataIfNew(tags);
        }
        if (!tags.isEmpty()) {
            countPicture(tags.get(tags.size() - 1));
        }
        if (tagger.timeline().discontinuities() > discontinuitiesLogged) {
            discontinuitiesLogged = tagger.timeline().discontinuities();
            LOG.warn("camera {} picture time jumped (clock change or camera restart; {} so far): the stream "
                    + "timeline continues one frame later", message.getHeader(MediaHeaders.CAMERA_ID),
                    discontinuitiesLogged);
        }
        message.setBody(tags);
        message.setHeader(MediaHeaders.TIMELINE_MS, tagger.timeline().lastTimestamp());
    }

    private List<FlvTag> withMetadataIfNew(List<FlvTag> tags) {
        H264Sps sps = tagger.activeSps();
        FlvMetadata metadata = FlvMetadata.of(sps, audio);
        if (metadata.equals(lastMetadata)) {
            return tags;
        }
        LOG.info(String.format(Locale.ROOT, "H.264 %s profile (%d), level %.1f, %dx%d, %s fps, %s",
                profileName(sps), sps.profileIdc(), sps.levelIdc() / 10.0, sps.width(), sps.height(),
                sps.frameRate() > 0 ? String.format(Locale.ROOT, "%.2f", sps.frameRate()) : "unknown",
                sps.reordersFrames() ? "B-frames (reordered)" : "no B-frames"));
        List<FlvTag> withMetadata = new ArrayList<>(tags.size() + 1);
        withMetadata.add(metadata.tag(tags.get(0).timestamp()));
        withMetadata.addAll(tags);
        lastMetadata = metadata;
        return withMetadata;
    }

    private void countPicture(FlvTag picture) {
        pictures++;
        if (picture.keyFrame()) {
            if (lastKeyFrameMs >= 0) {
                keyFrameIntervalMs = picture.timestamp() - lastKeyFrameMs;
            }
            lastKeyFrameMs = picture.timestamp();
        }
    }

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

    /** Pictures tagged (sent on). */
    public synchronized long pictures() {
        return pictures;
    }

    /** Annex B bytes received, for the bit rate. */
    public synchronized long bytesIn() {
        return bytesIn;
    }

    /** Timeline ms between the last two key frames, 0 before the second one (YouTube wants ≤ 4 s). */
    public synchronized long keyFrameIntervalMs() {
        return keyFrameIntervalMs;
    }

    /** Pictures dropped while waiting for parameter sets and an IDR picture. */
    public synchronized long droppedPictures() {
        return tagger.droppedPictures();
    }

    /** Camera clock jumps smoothed over by the timeline. */
    public synchronized long discontinuities() {
        return tagger.timeline().discontinuities();
    }

    /** Sequence headers emitted (1 + parameter-set changes). */
    public synchronized long sequenceHeaders() {
        return tagger.sequenceHeaders();
    }

    /** The metadata last emitted (size, frame rate), or null before the first picture. */
    public synchronized FlvMetadata metadata() {
        return lastMetadata;
    }
}
