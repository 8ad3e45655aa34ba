package io.camrelay.app;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the JVM's max heap when CamRelay starts (a warning when it is not bounded, issue 6) and where the status page
 * is once CamRelay runs.
 */
final class StartupBanner extends MainListenerSupport {

    /** The heap options bin/camrelay gives the JVM (docs/performance.md; README, "Running 24/7"). */
    static final String LAUNCHER_HEAP_OPTIONS = "-Xmx256m -XX:MaxNewSize=32m -XX:+UseSerialGC";
    /**
     * A default heap above this means nobody chose one: the JVM's default is a quarter of the machine's memory, and
     * the collector then grows a young generation far beyond CamRelay's live data (~20 MB for 10 cameras, ~300 MB RSS).
     */
    static final long UNBOUNDED_ABOVE_BYTES = 1L << 30;
    /** JVM options that bound the heap; -Xms and the like only set where it starts. */
    private static final List<String> HEAP_BOUND_OPTIONS = List.of("-Xmx", "-XX:MaxHeapSize=", "-XX:MaxRAMPercentage=",
            "-XX:MaxRAM=", "-XX:MaxRAMFraction=");
    private static final long MIB = 1L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(StartupBanner.class);

    @Override
    public void beforeInitialize(BaseMainSupport main) {
        // The arguments are only inspected, never logged: they may carry secrets (-Dcamrelay.xprotect.password=…).
        logHeap(ManagementFactory.getRuntimeMXBean().getInputArguments(), Runtime.getRuntime().maxMemory());
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext camel = main.getCamelContext();
        boolean enabled = Boolean.parseBoolean(camel.getPropertiesComponent().resolveProperty("camel.server.enabled")
                .orElse("false").strip());
        if (enabled) {
            LOG.info("CamRelay is running; console: http://{}:{}/ (API /api/streams). Stop with Ctrl-C.",
                    camel.resolvePropertyPlaceholders("{{camel.server.host}}"),
                    camel.resolvePropertyPlaceholders("{{camel.server.port}}"));
        } else {
            LOG.info("CamRelay is running (status server off). Stop with Ctrl-C.");
        }
    }

    /** Logs the max heap once: INFO when it is bounded, a WARN naming the fix when it is not. */
    static void logHeap(List<String> jvmArguments, long maxHeapBytes) {
        long maxMb = maxHeapBytes / MIB;
        if (heapUnbounded(jvmArguments, maxHeapBytes)) {
            LOG.warn("JVM heap is not bounded (max {} MB): without -Xmx the JVM may take a quarter of this machine's "
                    + "memory and CamRelay then uses several times the memory it needs; run CamRelay with "
                    + "bin/camrelay, or add {} (see README, Running 24/7)", maxMb, LAUNCHER_HEAP_OPTIONS);
        } else {
            LOG.info("JVM max heap {} MB", maxMb);
        }
    }

    /**
     * True when nobody bounded the heap: no -Xmx (or -XX:MaxHeapSize, -XX:MaxRAMPercentage, -XX:MaxRAM) among the
     * JVM's arguments, and the default the JVM chose is above {@link #UNBOUNDED_ABOVE_BYTES}. A small machine's
     * default (≤ 1 GiB) is bounded in practice; an explicit large heap is the operator's choice.
     */
    static boolean heapUnbounded(List<String> jvmArguments, long maxHeapBytes) {
        boolean bounded = jvmArguments.stream().anyMatch(a -> HEAP_BOUND_OPTIONS.stream().anyMatch(a::startsWith));
        return !bounded && maxHeapBytes > UNBOUNDED_ABOVE_BYTES;
    }
}
