package io.camrelay.streams;

import io.camrelay.media.FlvTag;
import io.camrelay.support.Secrets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Destinations that record into local FLV files ({@code output/lobby.flv}, which records
 * {@code output/lobby-<UTC time>.flv}, a new file per start): any path without a scheme that ends in
 * {@value #SUFFIX}, with the optional {@code maxSize} and {@code maxDuration} of each file. Each sink is an
 * {@link FlvFileDestination}, whose writer thread keeps the disk off the stream route's thread.
 */
public final class FlvFileDestinationType implements DestinationType {

    /** The file name ending of a local FLV destination. */
    static final String SUFFIX = ".flv";

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
        return new Sink(context);
    }

    /**
     * One recording: counts what it accepts, and shows STREAMING from each new file on, ERROR with the reason while
     * the disk refuses (it recovers by itself at a later key frame), STOPPED once stopped.
     */
    private static final class Sink implements DestinationSink, FlvFileDestination.Listener {
        private final DestinationTracker status;
        private final FlvFileDestination file;

        Sink(DestinationContext context) {
            Destination d = context.destination();
            this.status = context.status();
            this.file = new FlvFileDestination(Path.of(d.url().strip()), d.maxSize(), d.maxDuration(), this);
        }

        @Override
        public void start() {
            ServiceHelper.startService(file);
            status.state(StreamState.STARTING, null);
        }

        @Override
        public void send(List<FlvTag> tags, long receiveNanos) {
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
        }

        @Override
        public void stop() {
            ServiceHelper.stopService(file);
            if (status.state() != StreamState.ERROR) {
                status.state(StreamState.STOPPED, null);
            }
        }

        @Override
        public void fileStarted(Path started) {
            status.onPublished();
            status.state(StreamState.STREAMING, null);
        }

        @Override
        public void failed(String reason) {
            status.state(StreamState.ERROR, reason);
        }
    }
}
