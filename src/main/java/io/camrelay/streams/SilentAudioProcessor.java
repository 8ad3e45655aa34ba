package io.camrelay.streams;

import io.camrelay.media.FlvTag;
import io.camrelay.media.SilentAac;
import io.camrelay.media.SilentAudioInterleaver;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Adds the silent AAC track (docs/design.md §3): {@code List<FlvTag>} in, the same tags with the AAC sequence
 * header once (after the first video sequence header) and silent frames interleaved by timestamp out, driven by the
 * video timeline.
 *
 * <p><b>Stateful</b> (frame counter of one stream): create one instance per route, never share one between routes.
 * A route runs one exchange at a time, so it needs no lock.
 */
public final class SilentAudioProcessor implements Processor {

    private final SilentAudioInterleaver interleaver;

    /** 48 kHz stereo silence, as the onMetaData of {@link FlvTaggingProcessor} declares it. */
    public SilentAudioProcessor() {
        this(new SilentAudioInterleaver(SilentAac.DEFAULT));
    }

    private SilentAudioProcessor(SilentAudioInterleaver interleaver) {
        this.interleaver = interleaver;
    }

    /** The silent track of a recording (exports): a gap in the video is a gap in the audio too. */
    public static SilentAudioProcessor forRecording() {
        return new SilentAudioProcessor(SilentAudioInterleaver.forRecording(SilentAac.DEFAULT));
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        message.setBody(interleaver.interleave(tags(message.getMandatoryBody(List.class))));
    }


    /** Silent frames emitted so far (read it from the route's thread). */
    public long framesEmitted() {
        return interleaver.framesEmitted();
    }

    @SuppressWarnings("unchecked")
    static List<FlvTag> tags(List<?> body) {
        for (Object element : body) {
            if (!(element instanceof FlvTag)) {
                throw new IllegalArgumentException("expected a List<FlvTag> body (from FlvTaggingProcessor), found "
                        + (element == null ? "null" : element.getClass().getName()) + " in it");
            }
        }
        return (List<FlvTag>) body;
    }
}
