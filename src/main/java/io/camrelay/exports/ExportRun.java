package io.camrelay.exports;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.streams.CodecValidationProcessor;
import io.camrelay.streams.FlvTaggingProcessor;
import io.camrelay.streams.SilentAudioProcessor;
import io.camrelay.streams.StripHeaderProcessor;
import io.camrelay.support.MediaHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one export (the REST job's and the CLI's): a route from {@code xprotect:<camera>?mode=playback} through
 * the stream route's steps — header stripping, the codec check, FLV tagging on a recording's timeline (gaps stay
 * gaps), the recording's silent AAC — into the MP4 or FLV output. {@link #execute()} blocks until the playback's end
 * marker completed the file, a failure (privacy mask, lost recorder, codec, disk) or {@link #cancel()}; the route is
 * removed and anything partial deleted whatever the outcome. The route runs on the consumer's own thread.
 */
public final class ExportRun {

    private static final Logger LOG = LoggerFactory.getLogger(ExportRun.class);
    /** Free space is checked again after this much was written. */
    static final long FREE_SPACE_CHECK_BYTES = 32L * 1024 * 1024;
    private static final long ROUTE_STOP_SECONDS = 10;

    /** How a run ended. */
    public record Outcome(ExportState state, long frames, long bytes, String error) {
    }

    /** Told about the progress now and then (on the route's thread); must not block. */
    @FunctionalInterface
    public interface Progress {
        void update(double progress, long frames, long bytes);
    }

    private final CamelContext camel;
    private final String routeId;
    private final String cameraId;
    private final String cameraName;
    private final Instant from;
    private final Instant to;
    private final ExportFormat format;
    private final Path file;
    private final Path workDir;
    private final long minFreeSpace;
    private final Progress progress;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final Object lock = new Object();
    // guarded by lock
    private ExportOutput output;
    private long frames;
    private long checkedAtBytes;

    /**
     * @param routeId      the route's id, unique in {@code camel}
     * @param file         where the complete file goes
     * @param workDir      an empty folder for the spools and the partial file, deleted afterwards by the caller
     * @param minFreeSpace the run fails as "disk full" when the disk of {@code workDir} has less free
     */
    public ExportRun(CamelContext camel, String routeId, String cameraId, String cameraName, Instant from, Instant to,
            ExportFormat format, Path file, Path workDir, long minFreeSpace, Progress progress) {
        this.camel = camel;
        this.routeId = routeId;
        this.cameraId = cameraId;
        this.cameraName = cameraName == null || cameraName.isBlank() ? cameraId : cameraName;
        this.from = from;
        this.to = to;
        this.format = format;
        this.file = file;
        this.workDir = workDir;
        this.minFreeSpace = minFreeSpace;
        this.progress = progress;
    }

    /**
     * Runs the export to its end.
     *
     * @throws InterruptedException when the calling thread is interrupted (CamRelay stopping): the route is removed
     *                              and the partial file deleted; the job has not ended
     */
    public Outcome execute() throws InterruptedException {
        try {
            checkFreeSpace();
            synchronized (lock) {
                output = ExportOutput.open(format, file, workDir);
            }
            camel.addRoutes(new Route());
            // a supervising route controller (Camel Main's) leaves routes added at run time to itself: start it now
            if (!camel.getRouteController().getRouteStatus(routeId).isStarted()) {
                camel.getRouteController().startRoute(routeId);
            }
            return outcome.get();
        } catch (ExecutionException | CancellationException e) {
            return failed(e.getMessage());
        } catch (DiskFullException e) {
            return failed(e.getMessage());
        } catch (Exception e) {
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            return failed(ioMessage(e));
        } finally {
            removeRoute();
            synchronized (lock) {
                if (output != null && !(outcome.isDone() && outcome.getNow(null) != null
                        && outcome.getNow(null).state() == ExportState.DONE)) {
                    output.abort();
                }
            }
        }
    }

    /** Cancels the run: it ends CANCELLED and deletes what it wrote (unless it completed first). */
    public void cancel() {
        outcome.complete(new Outcome(ExportState.CANCELLED, frames(), 0, null));
    }

    private long frames() {
        synchronized (lock) {
            return frames;
        }
    }

    private Outcome failed(String message) {
        Outcome failed = new Outcome(ExportState.FAILED, frames(), 0, message);
        outcome.complete(failed);
        return outcome.getNow(failed);
    }

    /** One picture's tags (on the route's thread). */
    private void write(Exchange exchange) throws Exception {
        if (outcome.isDone()) {
            throw new CancellationException("export ended");
        }
        @SuppressWarnings("unchecked")
        List<FlvTag> tags = exchange.getMessage().getMandatoryBody(List.class);
        long bytes;
        long count;
        synchronized (lock) {
            output.write(tags);
            for (FlvTag t : tags) {
                if (t.type() == FlvTagType.VIDEO && !t.sequenceHeader()) {
                    frames++;
                }
            }
            bytes = output.bytes();
            count = frames;
            if (bytes - checkedAtBytes >= FREE_SPACE_CHECK_BYTES) {
                checkedAtBytes = bytes;
                checkFreeSpace();
            }
        }
        Long pictureTime = exchange.getMessage().getHeader(MediaHeaders.PICTURE_TIME, Long.class);
        if (pictureTime != null) {
            double span = to.toEpochMilli() - from.toEpochMilli();
            progress.update(Math.max(0, Math.min(1, (pictureTime - from.toEpochMilli()) / span)), count, bytes);
        }
    }

    /** The playback's end marker: the file is completed and moved to its name (on the route's thread). */
    private void complete(Exchange exchange) throws IOException {
        synchronized (lock) {
            if (outcome.isDone()) {
                return;
            }
            if (frames == 0) {
                outcome.complete(new Outcome(ExportState.FAILED, 0, 0, "camera '" + cameraName + "' has no "
                        + "recording between " + from + " and " + to + ": GET /api/cameras/" + cameraId
                        + "/sequences lists what it has recorded"));
                return;
            }
            long size = output.finish();
            LOG.info("export of camera '{}' {} to {} written: {} ({} pictures, {} bytes, end: {})", cameraName, from,
                    to, file, frames, size, exchange.getMessage().getHeader(MediaHeaders.PLAYBACK_END));
            outcome.complete(new Outcome(ExportState.DONE, frames, size, null));
        }
    }

    /** Whatever failed in the route or the playback (on the route's thread). */
    private void failedInRoute(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause instanceof CancellationException || outcome.isDone()) {
            return;
        }
        outcome.complete(new Outcome(ExportState.FAILED, frames(), 0, cause instanceof IOException io ? ioMessage(io)
                : cause == null ? "the export route failed" : cause.getMessage()));
    }

    private void checkFreeSpace() throws IOException {
        long free = Files.getFileStore(workDir).getUsableSpace();
        if (free < minFreeSpace) {
            throw new DiskFullException(String.format(Locale.ROOT, "export of camera '%s' stopped: the disk of "
                    + "camrelay.exports.dir (%s) has only %d MB free, less than camrelay.exports.min-free-space (%d MB):"
                    + " free space there, lower camrelay.exports.keep, or set camrelay.exports.dir to a larger disk",
                    cameraName, workDir.getParent().getParent().toAbsolutePath(), free >> 20, minFreeSpace >> 20));
        }
    }

    private String ioMessage(Exception e) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (what.contains("No space left on device")) {
            return "writing the export of camera '" + cameraName + "' failed: No space left on device in "
                    + workDir.getParent().getParent().toAbsolutePath() + ": free space there, lower "
                    + "camrelay.exports.keep, or set camrelay.exports.dir to a larger disk";
        }
        return "writing the export of camera '" + cameraName + "' to " + workDir.toAbsolutePath() + " failed: " + what
                + ": check that camrelay.exports.dir is writable and has free space";
    }

    private void removeRoute() {
        try {
            if (camel.getRoute(routeId) != null) {
                camel.getRouteController().stopRoute(routeId, ROUTE_STOP_SECONDS, TimeUnit.SECONDS);
                camel.removeRoute(routeId);
            }
        } catch (Exception e) {
            LOG.warn("export route {} could not be removed: {}", routeId, e.toString());
        }
    }

    /** The disk of the exports folder is fuller than camrelay.exports.min-free-space allows. */
    static final class DiskFullException extends IOException {
        private static final long serialVersionUID = 1L;

        DiskFullException(String message) {
            super(message);
        }
    }

    /** The run's route: the stream route's steps on a recording's timeline, into the output. */
    private final class Route extends RouteBuilder {
        @Override
        public void configure() {
            onException(Throwable.class).handled(true).process(ExportRun.this::failedInRoute);
            from("xprotect:" + cameraId + "?mode=playback&bridgeErrorHandler=true&from=" + from.toEpochMilli() + "&to="
                    + to.toEpochMilli() + "&trustAllCertificates={{?camrelay.xprotect.trust-all-certificates}}")
                    .routeId(routeId)
                    .choice()
                        .when(header(MediaHeaders.PLAYBACK_END).isNotNull()).process(ExportRun.this::complete)
                        .otherwise()
                            .process(new StripHeaderProcessor())
                            .process(new CodecValidationProcessor(cameraName))
                            .process(FlvTaggingProcessor.forRecording())
                            .process(SilentAudioProcessor.forRecording())
                            .process(ExportRun.this::write)
                    .end();
        }
    }
}
