package io.camrelay.streams;

import io.camrelay.media.FlvTag;
import io.camrelay.support.Secrets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One destination of a stream's outputs: its {@link DestinationSink}, opened through its {@link DestinationType},
 * and whether it runs, is parked (unpublished, waiting for the camera) or failed for good. A fresh sink gets the
 * stream's metadata and sequence headers first, so a republish or a new file starts decodable. Never throws into the
 * caller: a failing destination goes to ERROR on its own while the others carry on. Used under its
 * {@link StreamOutputs}' lock, except {@link #stopSink}, which may block and runs off that lock.
 */
final class DestinationOutput {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationOutput.class);

    private final String streamId;
    private final Destination destination;
    private final DestinationTracker status;
    private final DestinationType type;
    private final StreamOutputs.Environment env;
    private DestinationSink sink;
    private boolean failed;

    DestinationOutput(String streamId, Destination destination, DestinationTracker status, DestinationType type,
                      StreamOutputs.Environment env) {
        this.streamId = streamId;
        this.destination = Objects.requireNonNull(destination, "destination");
        this.status = Objects.requireNonNull(status, "status");
        this.type = type;
        this.env = env;
    }

    Destination destination() {
        return destination;
    }

    DestinationTracker status() {
        return status;
    }

    /** A sink runs (publishing, recording or trying to). */
    boolean running() {
        return sink != null;
    }

    /**
     * Opens and starts a sink, unless one runs or the destination failed for good, and hands it {@code headers}
     * (metadata and sequence headers, stamped for the stream's timeline).
     */
    void start(List<FlvTag> headers, Duration rotate) {
        if (sink != null || failed) {
            return;
        }
        if (type == null) {
            fail("destination " + destination.maskedUrl() + " could not be started: "
                    + "no destination type accepts it");
            return;
        }
        try {
            status.newSink();
            DestinationSink opened = type.open(new DestinationContext(streamId, destination, status, env.camel()));
            opened.start();
            opened.rotateEvery(rotate);
            sink = opened;
            if (!headers.isEmpty()) {
                opened.send(headers, StreamDestinations.NO_RECEIVE_TIME);
            }
        } catch (Exception e) {
            fail("destination " + destination.maskedUrl() + " could not be started: " + Secrets.rootMessage(e));
        }
    }

    /** Hands one picture's tags to the running sink. */
    void send(List<FlvTag> tags, long receiveNanos) {
        DestinationSink s = sink;
        if (s == null || tags.isEmpty()) {
            return;
        }
        try {
            s.send(tags, receiveNanos);
        } catch (Exception e) {
            sink = null;
            env.stopLater(s, this, null);
            fail("destination " + destination.maskedUrl() + " failed: " + Secrets.rootMessage(e));
        }
    }

    /** Passes a new rotation period to the running sink. */
    void rotateEvery(Duration rotate) {
        DestinationSink s = sink;
        if (s != null) {
            s.rotateEvery(rotate);
        }
    }

    /**
     * Lets go of the sink (to be stopped off the lock, by {@link #stopSink}); {@code reason}, when given, is what the
     * destination shows once it stopped (unpublished on purpose, waiting for the camera).
     *
     * @return the sink, or null when none ran
     */
    DestinationSink detach() {
        DestinationSink s = sink;
        sink = null;
        return s;
    }

    /** Stops a detached sink (unpublishes or closes the file; waits a bounded time), then shows {@code reason}. */
    void stopSink(DestinationSink s, String reason) {
        try {
            s.stop();
        } catch (Exception e) {
            try (MDC.MDCCloseable m = MDC.putCloseable("streamId", streamId)) {
                LOG.warn("stream {}: destination {} did not stop cleanly: {}", streamId, destination.maskedUrl(),
                        Secrets.rootMessage(e));
            }
        }
        if (reason != null && status.state() != StreamState.ERROR) {
            status.state(StreamState.STARTING, reason);
        }
    }

    private void fail(String reason) {
        failed = true;
        try (MDC.MDCCloseable m = MDC.putCloseable("streamId", streamId)) {
            LOG.error("stream {}: {}; the other destinations carry on", streamId, reason);
        }
        status.state(StreamState.ERROR, reason);
    }
}
