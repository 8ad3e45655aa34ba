package io.camrelay.streams;

import io.camrelay.media.FlvTag;
import io.camrelay.support.Secrets;
import java.util.List;
import java.util.Locale;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Destinations that record into a local FLV file ({@code output/lobby.flv}): any path without a scheme that ends in
 * {@value #SUFFIX}. Each sink is an {@link FlvFileDestination}, whose writer thread keeps the disk off the stream
 * route's thread.
 */
public final class FlvFileDestinationType implements DestinationType {

    /** The file name ending of a local FLV destination. */
    static final String SUFFIX = ".flv";
    /** How often a file destination's STREAMING is shown again (a camera restart resets destinations to STARTING). */
    private static final long REFRESH_NANOS = 1_000_000_000L;

    @Override
    public boolean accepts(String url) {
        return new Destination(url, false).isFile() && url.strip().toLowerCase(Locale.ROOT).endsWith(SUFFIX);
    }

    @Override
    public String problemWith(String url) {
        return url.strip().length() == SUFFIX.length() ? "'" + Secrets.maskDestination(url) + "' has no file name" : null;
    }

    @Override
    public String describe() {
        return "a " + SUFFIX + " file path";
    }

    @Override
    public boolean usesTls(String url) {
        return false;
    }

    @Override
    public DestinationSink open(DestinationContext context) {
        return new Sink(new FlvFileDestination(context.destination().url().strip()), context.status());
    }

    /** Counts what the file destination accepted and shows STREAMING while pictures go in. */
    private static final class Sink implements DestinationSink {
        private final FlvFileDestination file;
        private final DestinationTracker status;
        private boolean streaming;
        private long shownNanos;

        Sink(FlvFileDestination file, DestinationTracker status) {
            this.file = file;
            this.status = status;
        }

        @Override
        public void start() {
            ServiceHelper.startService(file);
            streaming = false;
            status.state(StreamState.STARTING, null);
        }

        @Override
        public void send(List<FlvTag> tags, long receiveNanos) throws Exception {
            long droppedBefore = file.droppedFrames();
            file.write(tags);
            long droppedNow = file.droppedFrames() - droppedBefore;
            if (droppedNow > 0) {
                status.onFramesDropped(droppedNow);
            } else {
                for (FlvTag tag : tags) {
                    status.onFrameSent(tag.size());
                }
            }
            long now = System.nanoTime();
            if (!tags.isEmpty() && (!streaming || now - shownNanos > REFRESH_NANOS)) {
                streaming = true;
                shownNanos = now;
                status.state(StreamState.STREAMING, null);
            }
        }

        @Override
        public void stop() {
            ServiceHelper.stopService(file);
            if (status.state() != StreamState.ERROR) {
                status.state(StreamState.STOPPED, null);
            }
        }
    }
}
