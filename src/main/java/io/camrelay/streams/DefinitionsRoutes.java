package io.camrelay.streams;

import io.camrelay.support.Durations;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Settings of the definitions route (docs/design.md §1), which is YAML: {@code routes/definitions.camel.yaml}. Every
 * {@code camrelay.streams.poll-interval} (default 30 s) a quartz trigger runs the {@link StreamDefinitionsPoller}
 * bound as {@value #POLLER_BEAN}; {@code stateful=true} keeps polls from overlapping, so the reconciler runs on one
 * thread. Quartz wants milliseconds and a YAML URI cannot check a duration, so {@link #publishPollInterval} validates
 * the operator's key (naming it in the error) and publishes it as {@value #POLL_INTERVAL_MS} for the route.
 */
public final class DefinitionsRoutes {

    /** The route id (not {@code stream-…}, which stream routes use). */
    public static final String ROUTE_ID = "camrelay-definitions";
    /** Where the route is defined. */
    public static final String ROUTE_RESOURCE = "classpath:routes/definitions.camel.yaml";
    /** The bean name of the poller. */
    public static final String POLLER_BEAN = "streamDefinitionsPoller";
    /** Property: how often the definitions are re-read (docs/design.md §4). */
    public static final String POLL_INTERVAL = "camrelay.streams.poll-interval";
    /** Derived property the YAML route reads: the validated interval in milliseconds. */
    public static final String POLL_INTERVAL_MS = "camrelay.streams.poll-interval-ms";
    /** Default poll interval (docs/design.md §4). */
    public static final String DEFAULT_POLL_INTERVAL = "30s";

    private DefinitionsRoutes() {
    }

    /**
     * Validates {@value #POLL_INTERVAL} and sets {@value #POLL_INTERVAL_MS}; call before routes are created.
     *
     * @return the interval in milliseconds
     * @throws IllegalArgumentException naming the key and the expected form
     */
    public static long publishPollInterval(CamelContext camel) {
        PropertiesComponent props = camel.getPropertiesComponent();
        String interval = props.resolveProperty(POLL_INTERVAL).orElse(DEFAULT_POLL_INTERVAL);
        long millis = Durations.parseAtLeast(POLL_INTERVAL, interval, Duration.ofSeconds(1), "1s").toMillis();
        props.addOverrideProperty(POLL_INTERVAL_MS, Long.toString(millis));
        return millis;
    }
}
