package io.camrelay.app;

import io.camrelay.cluster.ClusterGates;
import io.camrelay.imageserver.PrivacyMaskException;
import io.camrelay.exports.ExportService;
import io.camrelay.exports.ExportSettings;
import io.camrelay.streams.CameraResolver;
import io.camrelay.streams.CodecValidationProcessor;
import io.camrelay.streams.DefinitionSet;
import io.camrelay.streams.DefinitionsMerger;
import io.camrelay.streams.DefinitionsRoutes;
import io.camrelay.streams.DestinationTypes;
import io.camrelay.streams.FlvFileDestinationType;
import io.camrelay.streams.HoldDecision;
import io.camrelay.streams.SkippedPictures;
import io.camrelay.streams.StreamDefinitionsPoller;
import io.camrelay.streams.StreamGate;
import io.camrelay.streams.StreamOutputsRegistry;
import io.camrelay.streams.StreamReconciler;
import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.streams.StreamsFileLoader;
import io.camrelay.streams.StripHeaderProcessor;
import io.camrelay.support.Durations;
import io.camrelay.support.StreamThreads;
import io.camrelay.vms.UnknownCameraException;
import io.camrelay.vms.VmsCamera;
import io.camrelay.vms.VmsConfiguration;
import io.camrelay.vms.VmsSession;
import io.camrelay.web.ExportRoutes;
import io.camrelay.web.LivePreview;
import io.camrelay.web.StatusRoutes;
import io.camrelay.web.StatusServerGuard;
import io.camrelay.web.StreamsObservability;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where CamRelay's beans are made and bound (docs/design.md "Wiring"): the status registry, the
 * destination types, the route set's shared steps and session listener, the definitions poller with its merger and
 * reconciler, the status server (its guard, routes, health and metrics), the shared error handling and, when
 * {@code camrelay.xprotect.url} is set, one {@link VmsSession} (the {@code VmsAccess} of every {@code xprotect:}
 * consumer), the camera resolver, the RTMP Streamer plugin items and the XProtect event reporter. The session logs
 * out after the routes stopped. Without a URL CamRelay runs on the streams file alone and says so. The route
 * template's per-stream beans (its stateful steps) are the only beans made elsewhere: in
 * {@code routes/stream.camel.yaml}, once per stream route.
 */
public final class ApplicationWiring extends MainListenerSupport {

    /** Property: the management server / API gateway. */
    public static final String URL = "camrelay.xprotect.url";
    /** Property: the basic user. */
    public static final String USERNAME = "camrelay.xprotect.username";
    /** Property: its password. */
    public static final String PASSWORD = "camrelay.xprotect.password";
    /** Property: accept self-signed VMS/recorder certificates. */
    public static final String TRUST_ALL = "camrelay.xprotect.trust-all-certificates";
    /** Property: post stream errors to XProtect (default true). */
    public static final String REPORT_EVENTS = "camrelay.xprotect.report-events";
    /** Property: read the RTMP Streamer plugin items. */
    public static final String FROM_XPROTECT = "camrelay.streams.from-xprotect";
    /** Property: the first delay of the per-stream restart back-off (default 5s). */
    static final String RESTART_DELAY = "camrelay.streams.restart-initial-delay";
    /** The shortest restart delay accepted (a tight loop would hammer the recorder). */
    static final long MIN_RESTART_DELAY_MS = 100;
    /** Bean name of the VMS session. */
    public static final String VMS_SESSION_BEAN = "vmsSession";
    /** Bean name of the header-stripping step the route template refers to. */
    static final String STRIP_HEADER_BEAN = "stripHeader";
    /** Bean name of the codec check the route template refers to. */
    static final String CODEC_VALIDATION_BEAN = "codecValidation";
    /**
     * The hook of the one hold decision (docs/design.md §7a): failures caused by these exception types end a
     * broadcast at once instead of holding it, because the camera must not be published (a privacy mask the
     * passed-through video lacks, docs/protocols.md §1.5). Every other loss of the camera side holds.
     */
    static final List<Class<? extends Throwable>> ENDS_BROADCAST = List.of(PrivacyMaskException.class);

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationWiring.class);

    private final StreamStatusRegistry registry = new StreamStatusRegistry();
    private final AtomicBoolean missingItemsReported = new AtomicBoolean();
    private Supplier<DefinitionSet> pluginItems;
    private CameraResolver cameras = CameraResolver.AS_WRITTEN;
    private CameraResolver fixedCameras;
    private Clock clock = Clock.systemUTC();

    /** The status registry this wiring binds. */
    public StreamStatusRegistry registry() {
        return registry;
    }

    /**
     * The event loops every stream's ImageServer session and RTMP connections share, one loop per stream
     * ({@link io.camrelay.support.StreamThreads}): each picture is written to the sockets on the thread that read it.
     * One loop per core; shut down once the context has stopped (after the components closed their channels).
     */
    private static void bindStreamEventLoops(CamelContext camel) {
        EventLoopGroup loops = new NioEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("camrelay-stream", true));
        camel.getRegistry().bind(StreamThreads.BEAN_NAME, loops);
        camel.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext context) {
                loops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            }
        });
    }

    /** Test seam: reads the XProtect stream definitions from {@code items} instead of the VMS. */
    ApplicationWiring withPluginItems(Supplier<DefinitionSet> items) {
        this.pluginItems = items;
        return this;
    }

    /** Test seam: resolves cameras with {@code resolver} instead of the VMS (wins over the VMS's). */
    ApplicationWiring withCameras(CameraResolver resolver) {
        this.fixedCameras = resolver;
        return this;
    }

    /** Test seam: schedules see {@code scheduleClock}'s time instead of the system's. */
    ApplicationWiring withClock(Clock scheduleClock) {
        this.clock = scheduleClock;
        return this;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        StatusServerGuard.apply(main);
        CamelContext camel = main.getCamelContext();
        PropertiesComponent props = camel.getPropertiesComponent();
        Registry beans = camel.getRegistry();
        DestinationTypes types = new DestinationTypes(List.of(new RtmpDestinationType(),
                new FlvFileDestinationType()));
        StreamOutputsRegistry outputs = new StreamOutputsRegistry(camel, registry, types,
                new HoldDecision(ENDS_BROADCAST));
        beans.bind(StreamStatusRegistry.BEAN_NAME, registry);
        beans.bind(DestinationTypes.BEAN_NAME, types);
        beans.bind(StreamOutputsRegistry.BEAN_NAME, outputs);
        beans.bind(STRIP_HEADER_BEAN, new StripHeaderProcessor());
        beans.bind(CODEC_VALIDATION_BEAN, new CodecValidationProcessor());
        beans.bind(SkippedPictures.BEAN_NAME, new SkippedPictures(camel));
        beans.bind(StreamSessionListener.BEAN_NAME, new StreamSessionListener(registry, outputs));
        // a service: it stops after the routes, unpublishing every stream's destinations
        addService(camel, outputs);
        bindStreamEventLoops(camel);
        // Camel's notifiers would otherwise grow by two per stream route start and see every picture's exchange
        registerStartupListener(camel, new EventNotifierHygiene(), "the event-notifier hygiene");

        StreamFailureHandler.EventReporter reporter = bindVms(camel, props);
        long initialDelay = props.resolveProperty(RESTART_DELAY).map(ApplicationWiring::restartDelay)
                .orElse(StreamFailureHandler.INITIAL_DELAY_MS);
        StreamFailureHandler handler = new StreamFailureHandler(camel, registry, outputs, reporter, initialDelay);
        beans.bind(StreamFailureHandler.BEAN_NAME, handler);
        addService(camel, handler.lifecycle());
        AutomationWiring.alerts(camel, props, registry).ifPresent(alerts -> addService(camel, alerts));

        String file = props.resolveProperty(StreamDefinitionsPoller.FILE_PROPERTY)
                .orElse(StreamDefinitionsPoller.DEFAULT_FILE);
        boolean fromXProtect = Boolean.parseBoolean(props.resolveProperty(FROM_XPROTECT).orElse("true").strip());
        DefinitionsMerger merger = new DefinitionsMerger(new StreamsFileLoader(types),
                StreamDefinitionsPoller.streamsFile(file));
        CameraResolver resolver = fixedCameras != null ? fixedCameras : cameras;
        StreamReconciler reconciler = new StreamReconciler(camel, registry, resolver, outputs, gates(camel, props));
        beans.bind(DefinitionsRoutes.POLLER_BEAN, new StreamDefinitionsPoller(merger, reconciler,
                fromXProtect ? this::pluginDefinitions : null));
        // the definitions route itself is YAML (DefinitionsRoutes.ROUTE_RESOURCE); it reads the validated interval
        DefinitionsRoutes.publishPollInterval(camel);
        main.configure().addRoutesBuilder(new StatusRoutes(registry));
        bindExports(main, camel, props);
        LivePreview preview = new LivePreview(registry, outputs,
                LivePreview.maxViewers(props.resolveProperty(LivePreview.MAX_VIEWERS).orElse(null)));
        // health and metrics registries exist once the context runs; MainListener.afterStart is only called by run()
        addStartupListener(camel, (context, alreadyStarted) -> {
            StreamsObservability.install(context, registry);
            preview.install(context); // a Vert.x route on the status server's router, which exists once it runs
        });
    }

    /**
     * The conditions besides its definition under which a stream runs on this node (docs/design.md §6): its schedule
     * (SCHEDULED outside its windows or daylight) and the cluster (STANDBY where another node owns it).
     */
    private List<StreamGate> gates(CamelContext camel, PropertiesComponent props) {
        List<StreamGate> gates = new ArrayList<>();
        gates.add(AutomationWiring.scheduleGate(camel, clock));
        // the cluster: STANDBY where another node owns the stream (docs/cluster.md)
        gates.addAll(ClusterGates.create(camel, props::resolveProperty));
        return List.copyOf(gates);
    }

    /** Binds the VMS session and what uses it, when a VMS is configured; returns how stream errors are reported. */
    private StreamFailureHandler.EventReporter bindVms(CamelContext camel, PropertiesComponent props) {
        String url = props.resolveProperty(URL).map(String::strip).orElse("");
        if (url.isEmpty()) {
            LOG.info("{} is not set: file-only mode, no XProtect connection (stream definitions come from the streams"
                    + " file; a stream's camera cannot be received until {} is set)", URL, URL);
            cameras = camera -> {
                throw new IllegalStateException(URL + " is not set: set it, " + USERNAME + " and " + PASSWORD
                        + " in config/application.properties (or CAMRELAY_XPROTECT_URL, ... in the environment)");
            };
            return StreamFailureHandler.EventReporter.NONE;
        }
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
        cameras = resolver(session);
        if (pluginItems == null) {
            pluginItems = () -> PluginStreamItems.toDefinitions(session.configApi().rtmpStreamerItems());
        }
        VmsSessionService service = new VmsSessionService(session, url);
        addService(camel, service);
        boolean report = Boolean.parseBoolean(props.resolveProperty(REPORT_EVENTS).orElse("true").strip());
        return report ? service::report : StreamFailureHandler.EventReporter.NONE;
    }

    /** The export jobs and their API (architecture §11), on the VMS session when there is one. */
    private static void bindExports(BaseMainSupport main, CamelContext camel, PropertiesComponent props) {
        VmsSession vms = camel.getRegistry().lookupByNameAndType(VMS_SESSION_BEAN, VmsSession.class);
        ExportService exports = new ExportService(ExportSettings.from(k -> props.resolveProperty(k).orElse(null)),
                new VmsCameraCatalog(camel, vms), camel);
        camel.getRegistry().bind(ExportService.BEAN_NAME, exports);
        addService(camel, exports);
        main.configure().addRoutesBuilder(new ExportRoutes(exports));
    }

    static long restartDelay(String value) {
        return Durations.parseAtLeast(RESTART_DELAY, value, Duration.ofMillis(MIN_RESTART_DELAY_MS), "100ms")
                .toMillis();
    }

    /** Camera names and ids as XProtect's Config REST API knows them. */
    static CameraResolver resolver(VmsSession session) {
        return camera -> {
            VmsCamera c;
            try {
                c = session.configApi().camera(camera);
            } catch (UnknownCameraException e) {
                throw new CameraResolver.CameraNotFoundException(e.getMessage(), e);
            }
            return new CameraResolver.ResolvedCamera(c.id(), c.displayName() != null ? c.displayName() : c.name());
        };
    }

    private DefinitionSet pluginDefinitions() {
        Supplier<DefinitionSet> items = pluginItems;
        if (items != null) {
            return items.get();
        }
        if (missingItemsReported.compareAndSet(false, true)) {
            LOG.info("{} is on but no XProtect connection is configured: only the streams file is used",
                    FROM_XPROTECT);
        }
        return DefinitionSet.EMPTY;
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

    private static void registerStartupListener(CamelContext camel, StartupListener listener, String what) {
        try {
            camel.addStartupListener(listener);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + what + ": " + e.getMessage(), e);
        }
    }

    private static void addStartupListener(CamelContext camel, FullyStarted onStarted) {
        registerStartupListener(camel, new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                onStarted.run(context, alreadyStarted);
            }
        }, "the status health checks and metrics");
    }

    @FunctionalInterface
    private interface FullyStarted {
        void run(CamelContext context, boolean alreadyStarted);
    }
}
