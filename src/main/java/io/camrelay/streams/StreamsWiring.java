package io.camrelay.streams;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the route set into a Camel Main: the status registry and the frame recorder as beans, the status routes, the
 * definitions route with its poller and reconciler, the status-server guard, and (once started) health and metrics.
 * Add it with {@code main.addMainListener(new StreamsWiring())}. XProtect is reached through two optional beans the
 * application binds: a {@link CameraResolver} named {@value #CAMERA_RESOLVER_BEAN} and a
 * {@code Supplier<List<PluginStreamItem>>} named {@value #PLUGIN_ITEMS_BEAN}; both are looked up at each poll.
 */
public final class StreamsWiring extends MainListenerSupport {

    /** Bean: resolves camera names and ids through XProtect. Without it the camera as written is the id. */
    public static final String CAMERA_RESOLVER_BEAN = "cameraResolver";
    /** Bean: reads the RTMP Streamer plugin items ({@code Supplier<List<PluginStreamItem>>}). */
    public static final String PLUGIN_ITEMS_BEAN = "pluginStreamItems";
    /** Property: read the plugin items (architecture.md §4). */
    public static final String FROM_XPROTECT = "camrelay.streams.from-xprotect";

    private static final Logger LOG = LoggerFactory.getLogger(StreamsWiring.class);

    private final StreamStatusRegistry registry = new StreamStatusRegistry();
    private final StatusServerGuard guard = new StatusServerGuard();
    private final AtomicBoolean missingItemsReported = new AtomicBoolean();

    /** The registry this wiring binds. */
    public StreamStatusRegistry registry() {
        return registry;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        guard.beforeConfigure(main);
        CamelContext camel = main.getCamelContext();
        PropertiesComponent props = camel.getPropertiesComponent();
        String file = props.resolveProperty(StreamDefinitionsPoller.FILE_PROPERTY)
                .orElse(StreamDefinitionsPoller.DEFAULT_FILE);
        boolean fromXProtect = Boolean.parseBoolean(props.resolveProperty(FROM_XPROTECT).orElse("true").strip());

        CameraResolver cameras = camera -> {
            CameraResolver r = camel.getRegistry().lookupByNameAndType(CAMERA_RESOLVER_BEAN, CameraResolver.class);
            return (r != null ? r : CameraResolver.AS_WRITTEN).resolve(camera);
        };
        StreamReconciler reconciler = new StreamReconciler(camel, registry, cameras);
        DefinitionsMerger merger = new DefinitionsMerger(new StreamsFileLoader(),
                StreamDefinitionsPoller.streamsFile(file));
        camel.getRegistry().bind(StreamStatusRegistry.BEAN_NAME, registry);
        camel.getRegistry().bind(DefinitionsRoutes.POLLER_BEAN,
                new StreamDefinitionsPoller(merger, reconciler, fromXProtect ? () -> pluginItems(camel) : null));
        main.configure().addRoutesBuilder(new StatusRoutes(registry));
        // the definitions route itself is YAML (DefinitionsRoutes.ROUTE_RESOURCE); it reads the validated interval
        DefinitionsRoutes.publishPollInterval(camel);
        // health and metrics registries exist once the context runs; MainListener.afterStart is only called by run()
        try {
            camel.addStartupListener(observability());
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the status health checks and metrics: " + e.getMessage(),
                    e);
        }
    }

    private StartupListener observability() {
        return new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                StreamsObservability.install(context, registry);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private List<PluginStreamItem> pluginItems(CamelContext camel) {
        Object bean = camel.getRegistry().lookupByName(PLUGIN_ITEMS_BEAN);
        if (bean instanceof Supplier<?> supplier) {
            return (List<PluginStreamItem>) supplier.get();
        }
        if (missingItemsReported.compareAndSet(false, true)) {
            LOG.info("{} is on but no XProtect connection is configured: only the streams file is used",
                    FROM_XPROTECT);
        }
        return List.of();
    }
}
