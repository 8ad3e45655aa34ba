package io.camrelay.streams;

import io.camrelay.media.FlvMetadata;
import io.camrelay.media.FlvTag;
import io.camrelay.media.SilentAac;
import io.camrelay.media.Timeline;
import io.camrelay.media.VideoCodec;
import io.camrelay.media.VideoFormat;
import io.camrelay.media.VideoTagger;
import io.camrelay.support.MediaHeaders;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each access unit into FLV tags (docs/design.md "Message contract"): body {@code byte[]} Annex B in,
 * {@code List<FlvTag>} out: onMetaData when the picture size or rate is new, the sequence header when the parameter
 * sets are new or changed, then the picture (an empty list while waiting for the first key frame, or while the first
 * pictures are held back until it is known whether the stream has B-frames, then all of them: docs/timing.md). The codec's
 * {@link VideoTagger} is chosen once, from the first picture's {@link MediaHeaders#CODEC}. Times come from
 * {@link MediaHeaders#PICTURE_TIME}; the picture's timeline ms is set as {@link MediaHeaders#TIMELINE_MS}, and
 * an exchange that carries a new sequence header also carries its {@link MediaHeaders#VIDEO_FORMAT}.
 *
 * <p><b>Stateful</b> (tagger and timeline of one stream): create one instance per route, e.g. as a bean of the
 * route template instance or with {@code new} in a RouteBuilder; never share one between routes. A route runs one
 * exchange at a time, so it needs no lock.
 */
public final class FlvTaggingProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FlvTaggingProcessor.class);

    /** The silent track the metadata declares: the one {@link SilentAudioProcessor} adds. */
    private static final SilentAac AUDIO = SilentAac.DEFAULT;

    private final java.util.function.Supplier<Timeline> timelines;
    private VideoTagger tagger;
    private FlvMetadata lastMetadata;
    private long discontinuitiesLogged;

    /** The tagging of a live stream: its timeline smooths jumps over (docs/timing.md). */
    public FlvTaggingProcessor() {
        this(Timeline::new);
    }

    private FlvTaggingProcessor(java.util.function.Supplier<Timeline> timelines) {
        this.timelines = timelines;
    }

    /** The tagging of a recording (exports): its timeline keeps the recording's gaps ({@link Timeline#forRecording}). */
    public static FlvTaggingProcessor forRecording() {
        return new FlvTaggingProcessor(Timeline::forRecording);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        byte[] accessUnit = message.getMandatoryBody(byte[].class);
        Long pictureTime = message.getHeader(MediaHeaders.PICTURE_TIME, Long.class);
        if (pictureTime == null) {
            throw new IllegalArgumentException("header " + MediaHeaders.PICTURE_TIME + " is missing: put the "
                    + "StripHeaderProcessor before FLV tagging");
        }
        VideoTagger t = taggerFor(message);
        List<FlvTag> tags = t.tag(accessUnit, pictureTime);
        int sequenceHeader = lastSequenceHeader(tags);
        if (sequenceHeader >= 0) {
            VideoFormat format = t.format();
            message.setHeader(MediaHeaders.VIDEO_FORMAT, format);
            tags = withMetadataIfNew(tags, sequenceHeader, format);
        }
        if (t.timeline().discontinuities() > discontinuitiesLogged) {
            discontinuitiesLogged = t.timeline().discontinuities();
            LOG.warn("camera {} picture time jumped (clock change or camera restart; {} so far): the stream "
                    + "timeline continues one frame later", message.getHeader(MediaHeaders.CAMERA_ID),
                    discontinuitiesLogged);
        }
        message.setBody(tags);
        message.setHeader(MediaHeaders.TIMELINE_MS, t.lastTimestamp());
    }

    /** The stream's tagger: chosen by the first picture's codec, which must not change afterwards. */
    private VideoTagger taggerFor(Message message) {
        VideoCodec codec = message.getHeader(MediaHeaders.CODEC, VideoCodec.class);
        if (codec == null) {
            codec = VideoCodec.H264; // a route without header stripping's codec: H.264, as the codec check passed it
        }
        if (tagger == null) {
            if (!VideoTagger.canTag(codec)) {
                throw new UnsupportedCodecException(message.getHeader(MediaHeaders.CAMERA_ID, String.class), null,
                        codec.id());
            }
            tagger = VideoTagger.forCodec(codec, timelines.get());
        } else if (codec != tagger.codec()) {
            throw new IllegalStateException("camera " + message.getHeader(MediaHeaders.CAMERA_ID) + " changed its "
                    + "codec from " + tagger.codec().displayName() + " to " + codec.displayName() + " while streaming:"
                    + " the stream starts again with the new codec");
        }
        return tagger;
    }

    /** The index of the last sequence header in {@code tags} (the current format's), or -1; usually 0 or none. */
    private static int lastSequenceHeader(List<FlvTag> tags) {
        for (int i = tags.size() - 1; i >= 0; i--) {
            if (tags.get(i).sequenceHeader()) {
                return i;
            }
        }
        return -1;
    }

    /** {@code tags} with the onMetaData of {@code format} before the sequence header at {@code at}, when new. */
    private List<FlvTag> withMetadataIfNew(List<FlvTag> tags, int at, VideoFormat format) {
        FlvMetadata metadata = FlvMetadata.of(format, AUDIO);
        if (metadata.equals(lastMetadata)) {
            return tags;
        }
        LOG.info("{}", format.describe());
        List<FlvTag> withMetadata = new ArrayList<>(tags.size() + 1);
        withMetadata.addAll(tags.subList(0, at));
        withMetadata.add(metadata.tag(tags.get(at).timestamp()));
        withMetadata.addAll(tags.subList(at, tags.size()));
        lastMetadata = metadata;
        return withMetadata;
    }
}
