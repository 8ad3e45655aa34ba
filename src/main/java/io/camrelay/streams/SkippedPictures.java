package io.camrelay.streams;

import io.camrelay.media.NotVideoPacketException;
import io.camrelay.support.Secrets;
import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The stream routes' handling of one bad picture (docs/design.md §7a; the {@code stream-errors} routeConfiguration
 * calls it for a {@link io.camrelay.media.MediaFormatException}): the picture is skipped, never a reason to restart
 * the stream. It is counted ({@code skippedPictures}) and logged at most once a minute with the reason by the
 * stream's outputs, which also bridge the video up to the next key frame (the pictures after a lost one refer to
 * it); a packet of another data type (audio, metadata) is only counted. Bound as {@value #BEAN_NAME}; never throws.
 */
public final class SkippedPictures implements Processor {

    /** The bean name the routeConfiguration refers to. */
    public static final String BEAN_NAME = "skippedPicture";

    private final CamelContext camel;
    private volatile StreamOutputsRegistry outputs;

    /** Skips pictures of the streams whose outputs are bound in {@code camel}. */
    public SkippedPictures(CamelContext camel) {
        this.camel = Objects.requireNonNull(camel, "camel");
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String streamId = StreamDefinition.streamIdOf(exchange.getFromRouteId());
        StreamOutputsRegistry r = outputs;
        if (r == null) {
            r = outputs = StreamOutputsRegistry.lookup(camel);
        }
        String reason = cause == null ? "an unreadable picture" : Secrets.messageOf(cause);
        boolean picture = !(cause instanceof NotVideoPacketException);
        r.get(streamId).ifPresent(o -> o.pictureSkipped(reason, picture));
    }
}
