package io.camrelay.app;

import io.camrelay.support.Secrets;
import io.camrelay.vms.VmsSession;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs in at start (a wrong password shows at once), posts events off the caller's thread, logs out last. */
final class VmsSessionService extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(VmsSessionService.class);
    /** Event reports waiting to be posted; more are dropped (logged) so a dead VMS never piles them up. */
    static final int EVENT_QUEUE = 32;

    private final VmsSession session;
    private final String url;
    private ThreadPoolExecutor reporter;

    VmsSessionService(VmsSession session, String url) {
        this.session = session;
        this.url = url;
    }

    @Override
    protected void doStart() {
        reporter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(EVENT_QUEUE),
                r -> {
                    Thread t = new Thread(r, "camrelay-xprotect-events");
                    t.setDaemon(true);
                    return t;
                });
        try {
            session.login();
            LOG.info("logged in to XProtect at {}", Secrets.maskUrl(url));
        } catch (RuntimeException e) {
            LOG.warn("XProtect at {} cannot be logged in to yet: {}; streams retry with back-off",
                    Secrets.maskUrl(url), Secrets.messageOf(e));
        }
    }

    void report(String streamId, String cameraId, String message) {
        ThreadPoolExecutor r = reporter;
        if (r == null || cameraId == null) {
            return;
        }
        try {
            r.execute(() -> {
                try {
                    session.events().reportStreamError(cameraId, message);
                } catch (RuntimeException e) {
                    LOG.warn("stream {}: the error could not be posted to XProtect: {}", streamId,
                            Secrets.messageOf(e));
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("stream {}: too many XProtect event reports waiting; this one is dropped", streamId);
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (reporter != null) {
            reporter.shutdown();
            reporter.awaitTermination(2, TimeUnit.SECONDS);
            reporter = null;
        }
        session.close();
        LOG.info("logged out of XProtect");
    }
}
