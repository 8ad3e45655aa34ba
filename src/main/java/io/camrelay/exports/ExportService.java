package io.camrelay.exports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export jobs (architecture §11): {@link #submit} validates a request and queues a job; at most
 * {@code camrelay.exports.max-concurrent} run at once on this service's workers, each an {@link ExportRun}. Jobs and
 * files are kept in the {@link ExportStore}: after a restart a job that was QUEUED or RUNNING runs again from its
 * start, one whose file is gone is FAILED. Finished jobs and their files are deleted {@code camrelay.exports.keep}
 * after they finished. State changes are stored; progress is kept in memory and stored at the end.
 */
public final class ExportService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(ExportService.class);
    /** Bean name in the registry. */
    public static final String BEAN_NAME = "exportService";
    /** Jobs that may wait for a worker; more is refused (a client in a loop must not fill the disk with jobs). */
    static final int MAX_QUEUED = 100;
    /** How often retention runs at most. */
    static final Duration RETENTION_PERIOD = Duration.ofMinutes(10);
    /** The download path of a DONE job's file. */
    static final String FILE_PATH = "/api/exports/%s/file";

    private final ExportSettings settings;
    private final CameraCatalog catalog;
    private final CamelContext camel;
    private final ExportStore store;
    private final Clock clock;
    private final Map<String, ExportJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, ExportRun> running = new ConcurrentHashMap<>();
    /** Serialises the state changes of jobs (rare: a few per job). */
    private final Object lock = new Object();
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService retention;
    private volatile boolean stopping;

    public ExportService(ExportSettings settings, CameraCatalog catalog, CamelContext camel) {
        this(settings, catalog, camel, Clock.systemUTC());
    }

    ExportService(ExportSettings settings, CameraCatalog catalog, CamelContext camel, Clock clock) {
        this.settings = settings;
        this.catalog = catalog;
        this.camel = camel;
        this.store = new ExportStore(settings.dir());
        this.clock = clock;
    }

    public ExportSettings settings() {
        return settings;
    }

    public CameraCatalog catalog() {
        return catalog;
    }

    /** Loads the stored jobs, runs again those that had not finished, and starts retention. */
    @Override
    public synchronized void start() {
        stopping = false;
        store.open();
        workers = new ThreadPoolExecutor(settings.maxConcurrent(), settings.maxConcurrent(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "camrelay-export");
                    t.setDaemon(true);
                    return t;
                });
        List<ExportJob> stored = store.load();
        int again = 0;
        for (ExportJob job : stored) {
            if (!job.state().finished()) {
                store.clearWork(job.id());
                ExportJob queued = job.with(ExportState.QUEUED, 0, 0, 0, null, null, null);
                jobs.put(job.id(), queued);
                store.save(queued);
                workers.execute(() -> {
                    awaitStarted();
                    run(job.id());
                });
                again++;
            } else if (job.state() == ExportState.DONE && !Files.exists(store.file(job))) {
                ExportJob gone = job.with(ExportState.FAILED, job.progress(), job.frames(), 0, "the file of this "
                        + "export was deleted outside CamRelay: export the range again", job.finishedAt(), null);
                jobs.put(job.id(), gone);
                store.save(gone);
            } else {
                jobs.put(job.id(), job);
            }
        }
        if (again > 0) {
            LOG.info("{} export(s) that had not finished when CamRelay stopped run again", again);
        }
        retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "camrelay-export-retention");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1000, Math.min(RETENTION_PERIOD.toMillis(), settings.keep().toMillis() / 2));
        retention.scheduleWithFixedDelay(this::applyRetention, 0, period, TimeUnit.MILLISECONDS);
        LOG.info("exports in {} (at most {} at once, kept {})", settings.dir().toAbsolutePath(),
                settings.maxConcurrent(), settings.keep());
    }

    /** Stops the workers; a job that is running stays RUNNING in the store and runs again after the restart. */
    @Override
    public synchronized void stop() {
        stopping = true;
        if (retention != null) {
            retention.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Queues an export of {@code camera} from {@code from} to {@code to} (ISO-8601) as {@code format}.
     *
     * @throws ExportRequestException naming the wrong field
     * @throws IllegalStateException  when no VMS is configured, or too many jobs wait
     */
    public ExportJob submit(String camera, String from, String to, String format) {
        if (!catalog.available()) {
            throw new IllegalStateException(noVms());
        }
        if (camera == null || camera.isBlank()) {
            throw new ExportRequestException("camera", "camera is missing: give the camera's id or exact name "
                    + "(GET /api/cameras lists them)");
        }
        Instant start = time("from", from);
        Instant end = time("to", to);
        if (!end.isAfter(start)) {
            throw new ExportRequestException("to", "to " + end + " is not after from " + start
                    + " (expected to > from)");
        }
        if (Duration.between(start, end).compareTo(settings.maxDuration()) > 0) {
            throw new ExportRequestException("to", "the range " + start + " to " + end + " is "
                    + human(Duration.between(start, end)) + ", longer than " + ExportSettings.MAX_DURATION + " ("
                    + human(settings.maxDuration()) + "): export it in parts or raise the setting");
        }
        ExportFormat f = ExportFormat.parse(format);
        CameraCatalog.Camera cam = catalog.camera(camera.strip()).orElseThrow(() -> new ExportRequestException(
                "camera", "XProtect has no camera '" + camera.strip() + "': GET /api/cameras lists the cameras by id "
                + "and name"));
        if (workers.getQueue().size() >= MAX_QUEUED) {
            throw new IllegalStateException(MAX_QUEUED + " exports are waiting already: wait for some to finish "
                    + "(GET /api/exports) or cancel some");
        }
        ExportJob job = new ExportJob(newId(), cam.id(), cam.name(), start, end, f, ExportState.QUEUED, 0, 0, 0, null,
                now(), null, null);
        jobs.put(job.id(), job);
        store.save(job);
        workers.execute(() -> run(job.id()));
        LOG.info("export {} queued: camera '{}' {} to {} as {}", job.id(), cam.name(), start, end, f.extension());
        return job;
    }

    /** Every job, newest first. */
    public List<ExportJob> jobs() {
        return jobs.values().stream().sorted(Comparator.comparing(ExportJob::createdAt).reversed()
                .thenComparing(ExportJob::id)).toList();
    }

    public Optional<ExportJob> job(String id) {
        return Optional.ofNullable(id == null ? null : jobs.get(id));
    }

    /** The complete file of a DONE job. */
    public Optional<Path> file(String id) {
        return job(id).filter(j -> j.state() == ExportState.DONE).map(store::file).filter(Files::exists);
    }

    /**
     * DELETE: a queued or running job is CANCELLED and what it wrote is deleted (the job stays listed); a finished
     * job is deleted with its file.
     *
     * @return false when there is no such job
     */
    public boolean delete(String id) {
        ExportJob job = jobs.get(id == null ? "" : id);
        if (job == null) {
            return false;
        }
        synchronized (lock) {
            job = jobs.get(id);
            if (job == null) {
                return true;
            }
            if (!job.state().finished()) {
                ExportJob cancelled = job.with(ExportState.CANCELLED, job.progress(), job.frames(), 0, null, now(),
                        null);
                jobs.put(id, cancelled);
                store.save(cancelled);
                ExportRun run = running.get(id);
                if (run != null) {
                    run.cancel();
                }
                store.deleteFiles(id);
                LOG.info("export {} cancelled", id);
            } else {
                jobs.remove(id);
                store.delete(id);
                LOG.info("export {} deleted", id);
            }
        }
        return true;
    }

    /** A job run again at start waits until the context has started: its route is added to a running context. */
    private void awaitStarted() {
        try {
            while (!camel.isStarted() && !stopping) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(String id) {
        ExportJob job;
        synchronized (lock) {
            job = jobs.get(id);
            if (job == null || job.state() != ExportState.QUEUED || stopping || Thread.currentThread().isInterrupted()) {
                return;
            }
            job = job.with(ExportState.RUNNING, 0, 0, 0, null, null, null);
            jobs.put(id, job);
            store.save(job);
        }
        ExportRun.Outcome outcome;
        try {
            Path work = store.workDir(id);
            ExportRun run = new ExportRun(camel, "export-" + id, job.camera(), job.cameraName(), job.from(), job.to(),
                    job.format(), store.file(job), work, settings.minFreeSpace(), (p, f, b) -> progressed(id, p, f, b));
            running.put(id, run);
            if (jobs.get(id).state() == ExportState.CANCELLED) {
                run.cancel();
            }
            outcome = run.execute();
        } catch (InterruptedException e) {
            // CamRelay stops: the job stays RUNNING in the store and runs again after the restart
            Thread.currentThread().interrupt();
            store.clearWork(id);
            LOG.info("export {} was running when CamRelay stopped; it runs again when CamRelay starts", id);
            return;
        } catch (IOException | RuntimeException e) {
            outcome = new ExportRun.Outcome(ExportState.FAILED, 0, 0, "export " + id + " could not start: "
                    + e.getMessage());
        } finally {
            running.remove(id);
        }
        store.clearWork(id);
        if (stopping && outcome.state() != ExportState.DONE) {
            return;
        }
        finish(id, outcome);
    }

    private void finish(String id, ExportRun.Outcome outcome) {
        synchronized (lock) {
            ExportJob job = jobs.get(id);
            if (job == null || job.state() == ExportState.CANCELLED) {
                store.deleteFiles(id);
                return;
            }
            ExportJob done = switch (outcome.state()) {
                case DONE -> job.with(ExportState.DONE, 1, outcome.frames(), outcome.bytes(), null, now(),
                        String.format(FILE_PATH, id));
                case CANCELLED -> job.with(ExportState.CANCELLED, job.progress(), job.frames(), 0, null, now(), null);
                default -> job.with(ExportState.FAILED, job.progress(), outcome.frames(), 0, outcome.error(), now(),
                        null);
            };
            if (done.state() != ExportState.DONE) {
                store.deleteFiles(id);
            }
            jobs.put(id, done);
            store.save(done);
            if (done.state() == ExportState.FAILED) {
                LOG.warn("export {} failed: {}", id, done.error());
            }
        }
    }

    private void progressed(String id, double progress, long frames, long bytes) {
        jobs.computeIfPresent(id, (k, j) -> j.state() == ExportState.RUNNING ? j.progressed(progress, frames, bytes)
                : j);
    }

    /** Deletes jobs and files that finished longer ago than camrelay.exports.keep. */
    void applyRetention() {
        try {
            Instant limit = now().minus(settings.keep());
            for (ExportJob job : List.copyOf(jobs.values())) {
                if (job.state().finished() && job.finishedAt() != null && job.finishedAt().isBefore(limit)) {
                    synchronized (lock) {
                        jobs.remove(job.id());
                        store.delete(job.id());
                    }
                    LOG.info("export {} is older than {} ({}): deleted with its file", job.id(),
                            ExportSettings.KEEP, human(settings.keep()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("export retention failed: {}", e.getMessage());
        }
    }

    /** What a request without a VMS is told. */
    public static String noVms() {
        return "no XProtect is configured (camrelay.xprotect.url is not set): cameras and recordings come from "
                + "XProtect; set camrelay.xprotect.url, .username and .password";
    }

    /** An ISO-8601 time of a request field. */
    public static Instant time(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ExportRequestException(field, field + " is missing: give an ISO-8601 UTC time such as "
                    + "2026-11-21T14:02:00Z");
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new ExportRequestException(field, field + " '" + value.strip() + "' is not an ISO-8601 time "
                    + "(expected e.g. 2026-11-21T14:02:00Z or 2026-11-21T15:02:00+01:00)");
        }
    }

    static String human(Duration d) {
        return io.camrelay.support.Durations.human(d);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
