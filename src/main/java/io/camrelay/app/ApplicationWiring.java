package io.camrelay.app;

import io.camrelay.support.Secrets;
import io.camrelay.streams.CameraResolver;
import io.camrelay.streams.PluginStreamItem;

import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.streams.StreamsWiring;
import io.camrelay.vms.RtmpStreamerItem;
import io.camrelay.vms.VmsCamera;
import io.camrelay.vms.VmsSession;
import io.camrelay.vms.VmsConfiguration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds what the route set needs beyond {@link StreamsWiring} (architecture.md §1, §4, §7): the ImageServer session
 * listener, the shared error handling and, when {@code camrelay.xprotect.url} is set, one {@link VmsSession} (the
 * {@code VmsAccess} of every {@code xprotect:} consumer), the camera resolver, the RTMP Streamer plugin items and the
 * XProtect event reporter. The session logs out after the routes stopped. Without a URL CamRelay runs on the streams
 * file alone and says so.
 */
public final class ApplicationWiring extends MainListenerSupport {

    /** Property: the management server / API gateway (architecture.md §4). */
    public static final String URL = "camrelay.xprotect.url";
    /** Property: the basic user. */
    public static final String USERNAME = "camrelay.xprotect.username";
    /** Property: its password. */
    public static final String PASSWORD = "camrelay.xprotect.password";
    /** Property: accept self-signed VMS/recorder certificates. */
    public static final String TRUST_ALL = "camrelay.xprotect.trust-all-certificates";
    /** Property: post stream errors to XProtect (default true). */
    public static final String REPORT_EVENTS = "camrelay.xprotect.report-events";
    /** Property: the first delay of the per-stream restart back-off (default 5s). */
    static final String RESTART_DELAY = "camrelay.streams.restart-initial-delay";
    /** Camel's duration syntax: milliseconds, or amounts with h, m, s, ms. */
    private static final Pattern DURATION = Pattern.compile("^\\d+$|^(\\d+(h|m|s|ms))+$");
    /** The shortest restart delay accepted (a tight loop would hammer the recorder). */
    static final long MIN_RESTART_DELAY_MS = 100;
    /** Bean name of the VMS session. */
    public static final String VMS_SESSION_BEAN = "vmsSession";
    /** Event reports waiting to be posted; more are dropped (logged) so a dead VMS never piles them up. */
    static final int EVENT_QUEUE = 32;

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationWiring.class);

    private final StreamsWiring streams;

    public ApplicationWiring(StreamsWiring streams) {
        this.streams = streams;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext camel = main.getCamelContext();
        PropertiesComponent props = camel.getPropertiesComponent();
        StreamStatusRegistry registry = streams.registry();
        camel.getRegistry().bind(StreamSessionListener.BEAN_NAME, new StreamSessionListener(registry));

        String url = props.resolveProperty(URL).map(String::strip).orElse("");
        StreamFailureHandler.EventReporter reporter = StreamFailureHandler.EventReporter.NONE;
        if (url.isEmpty()) {
            LOG.info("{} is not set: file-only mode, no XProtect connection (stream definitions come from the streams"
                    + " file; a stream's camera cannot be received until {} is set)", URL, URL);
            camel.getRegistry().bind(StreamsWiring.CAMERA_RESOLVER_BEAN, (CameraResolver) camera -> {
                throw new IllegalStateException(URL + " is not set: set it, " + USERNAME + " and " + PASSWORD
                        + " in config/application.properties (or CAMRELAY_XPROTECT_URL, ... in the environment)");
            });
        } else {
            VmsConfiguration config = new VmsConfiguration();
            config.setUrl(url);
            config.setUsername(props.resolveProperty(USERNAME).map(String::strip).orElse(null));
            config.setPassword(props.resolveProperty(PASSWORD).orElse(null));
            config.setTrustAllCertificates(Boolean.parseBoolean(props.resolveProperty(TRUST_ALL).orElse("false")
                    .strip()));
            if (config.isTrustAllCertificates()) {
                LOG.warn("{}=true: the certificates of the XProtect servers are not verified", TRUST_ALL);
            }
            VmsSession session = new VmsSession(config);
            camel.getRegistry().bind(VMS_SESSION_BEAN, session);
            camel.getRegistry().bind(StreamsWiring.CAMERA_RESOLVER_BEAN, resolver(session));
            camel.getRegistry().bind(StreamsWiring.PLUGIN_ITEMS_BEAN, pluginItems(session));
            boolean report = Boolean.parseBoolean(props.resolveProperty(REPORT_EVENTS).orElse("true").strip());
            VmsSessionService service = new VmsSessionService(session, url);
            if (report) {
                reporter = service::report;
            }
            addService(camel, service);
        }
        long initialDelay = props.resolveProperty(RESTART_DELAY).map(ApplicationWiring::restartDelay)
                .orElse(StreamFailureHandler.INITIAL_DELAY_MS);
        StreamFailureHandler handler = new StreamFailureHandler(camel, registry, reporter, initialDelay);
        camel.getRegistry().bind(StreamFailureHandler.BEAN_NAME, handler);
        addService(camel, handler.lifecycle());
    }

    static long restartDelay(String value) {
        String v = value.strip();
        if (!DURATION.matcher(v).matches() || TimeUtils.toMilliSeconds(v) < MIN_RESTART_DELAY_MS) {
            throw new IllegalArgumentException(RESTART_DELAY + " is '" + v + "': expected a duration of at least"
                    + " 100ms such as 5s, 1m or 5000 (milliseconds)");
        }
        return TimeUtils.toMilliSeconds(v);
    }

    private static void addService(CamelContext camel, Object service) {
        try {
            // services stop after the routes: the session logs out once every stream is down
            camel.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add " + service.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }

    static CameraResolver resolver(VmsSession session) {
        return camera -> {
            VmsCamera c = session.configApi().camera(camera);
            return new CameraResolver.ResolvedCamera(c.id(), c.displayName() != null ? c.displayName() : c.name());
        };
    }

    static Supplier<List<PluginStreamItem>> pluginItems(VmsSession session) {
        return () -> {
            List<RtmpStreamerItem> items = session.configApi().rtmpStreamerItems();
            return items.stream().map(i -> new PluginStreamItem(i.id(), i.name(), i.cameraId(), i.cameraName(),
                    i.rtmpUrl(), i.enabled(), i.allowUntrustedCerts())).toList();
        };
    }

    /** Logs in at start (a wrong password shows at once), posts events off the caller's thread, logs out last. */
    static final class VmsSessionService extends ServiceSupport {
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
                        Secrets.maskUrl(url), Secrets.maskUrlsIn(String.valueOf(e.getMessage())));
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
                                Secrets.maskUrlsIn(String.valueOf(e.getMessage())));
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
}
