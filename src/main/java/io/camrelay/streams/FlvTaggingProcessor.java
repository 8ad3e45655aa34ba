package io.camrelay.streams;

import io.camrelay.imageserver.XProtectConstants;
import io.camrelay.media.AvcTagger;
import io.camrelay.media.FlvMetadata;
import io.camrelay.media.FlvTag;
import io.camrelay.media.SilentAac;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns each H.264 access unit into FLV tags (architecture.md §3): body {@code byte[]} Annex B in,
 * {@code List<FlvTag>} out: onMetaData when the picture size or rate is new, the AVC sequence header when the
 * parameter sets are new or changed, then the picture (an empty list while waiting for the first IDR picture).
 * Times come from {@link XProtectConstants#PICTURE_TIME}; the picture's timeline ms is set as
 * {@link XProtectConstants#TIMELINE_MS}.
 *
 * <p><b>Stateful</b> (tagger and timeline of one stream): create one instance per route, e.g. as a bean of the
 * route template instance or with {@code new} in a RouteBuilder; never share one between routes.
 */
public final class FlvTaggingProcessor implements Processor {

    private final AvcTagger tagger = new AvcTagger();
    private SilentAac audio = SilentAac.DEFAULT;
    private FlvMetadata lastMetadata;

    /** The audio track the metadata declares (must match the {@link SilentAudioProcessor}'s); 48 kHz stereo. */
    public void setAudio(SilentAac audio) {
        this.audio = java.util.Objects.requireNonNull(audio, "audio");
    }

    @Override
    public synchronized void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        byte[] accessUnit = message.getMandatoryBody(byte[].class);
        Long pictureTime = message.getHeader(XProtectConstants.PICTURE_TIME, Long.class);
        if (pictureTime == null) {
            throw new IllegalArgumentException("header " + XProtectConstants.PICTURE_TIME + " is missing: put the "
                    + "StripHeaderProcessor before FLV tagging");
        }
        List<FlvTag> tags = tagger.tag(accessUnit, pictureTime);
        if (!tags.isEmpty() && tags.get(0).sequenceHeader()) {
            FlvMetadata metadata = FlvMetadata.of(tagger.activeSps(), audio);
            if (!metadata.equals(lastMetadata)) {
                List<FlvTag> withMetadata = new ArrayList<>(tags.size() + 1);
                withMetadata.add(metadata.tag(tags.get(0).timestamp()));
                withMetadata.addAll(tags);
                tags = withMetadata;
                lastMetadata = metadata;
            }
        }
        message.setBody(tags);
        message.setHeader(XProtectConstants.TIMELINE_MS, tagger.timeline().lastTimestamp());
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
