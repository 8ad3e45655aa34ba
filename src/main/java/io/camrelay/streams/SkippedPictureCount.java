package io.camrelay.streams;

import io.camrelay.support.Secrets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A stream's account of skipped pictures (docs/design.md §7a): counted in the status, logged at most once a minute
 * with how many and the last reason, and the verdict that only nothing but bad pictures for
 * {@value #BAD_PICTURES_ERROR_MS} ms is an ERROR. Used under its {@link StreamOutputs}' lock.
 */
final class SkippedPictureCount {

    /** Only a stream of nothing but bad pictures for this long is an ERROR. */
    static final long BAD_PICTURES_ERROR_MS = 10_000;
    /** Skipped pictures are logged at most this often, with the count and the last reason. */
    static final long LOG_INTERVAL_MS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(StreamOutputs.class);

    private final String streamId;
    private final StreamTracker tracker;
    private long toLog;
    private long lastLogNanos;
    private String lastReason;
    /** Since when only bad pictures came (0: a good one came since the last bad one). */
    private long badSinceNanos;
    private boolean reported;

    SkippedPictureCount(String streamId, StreamTracker tracker, long nowNanos) {
        this.streamId = streamId;
        this.tracker = tracker;
        this.lastLogNanos = nowNanos - TimeUnit.MILLISECONDS.toNanos(LOG_INTERVAL_MS);
    }

    /** One picture was skipped for {@code reason}; {@code picture}: it was one of the video's pictures. */
    void skipped(String reason, boolean picture, long now) {
        tracker.onPictureSkipped();
        toLog++;
        lastReason = Secrets.maskUrlsIn(reason);
        if (now - lastLogNanos >= TimeUnit.MILLISECONDS.toNanos(LOG_INTERVAL_MS)) {
            log(now);
        }
        if (picture && badSinceNanos == 0) {
            badSinceNanos = now;
        }
    }

    /** A readable picture came. */
    void good() {
        badSinceNanos = 0;
    }

    /** The hold timer: logs what a minute gathered, and shows ERROR once after 10 s of nothing but bad pictures. */
    void tick(long now) {
        if (badSinceNanos != 0 && !reported
                && now - badSinceNanos >= TimeUnit.MILLISECONDS.toNanos(BAD_PICTURES_ERROR_MS)) {
            reported = true;
            tracker.state(StreamState.ERROR, "the camera of stream " + streamId + " sent nothing but pictures"
                    + " CamRelay cannot read for " + BAD_PICTURES_ERROR_MS / 1000 + " s (last: " + lastReason
                    + "); check the camera's stream settings in the Management Client");
        } else if (badSinceNanos == 0) {
            reported = false;
        }
        if (toLog > 0 && now - lastLogNanos >= TimeUnit.MILLISECONDS.toNanos(LOG_INTERVAL_MS)) {
            log(now);
        }
    }

    private void log(long now) {
        long count = toLog;
        toLog = 0;
        lastLogNanos = now;
        try (MDC.MDCCloseable m = MDC.putCloseable("streamId", streamId)) {
            LOG.warn("stream {}: skipped {} picture(s) the relay cannot send (last: {}); counted in"
                    + " skippedPictures, logged at most once a minute", streamId, count, lastReason);
        }
    }
}
