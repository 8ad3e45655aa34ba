package io.camrelay.streams;

import java.util.regex.Pattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.util.TimeUtils;

/**
 * The definitions route (architecture.md §1): every {@code camrelay.streams.poll-interval} (default 30 s; first poll
 * half a second after start) a quartz trigger runs the {@link StreamDefinitionsPoller} bound as
 * {@value #POLLER_BEAN}. Quartz's {@code stateful=true} keeps polls from overlapping, so the reconciler runs on one
 * thread.
 */
public class DefinitionsRoutes extends RouteBuilder {

    /** The route id (not {@code stream-…}, which stream routes use). */
    public static final String ROUTE_ID = "camrelay-definitions";
    /** The bean name of the poller. */
    public static final String POLLER_BEAN = "streamDefinitionsPoller";
    /** Property: how often the definitions are re-read (architecture.md §4). */
    public static final String POLL_INTERVAL = "camrelay.streams.poll-interval";
    /** Default poll interval (architecture.md §4). */
    public static final String DEFAULT_POLL_INTERVAL = "30s";
    /** Camel's duration syntax: milliseconds, or amounts with h, m, s, ms. */
    private static final Pattern DURATION = Pattern.compile("^\\d+$|^(\\d+(h|m|s|ms))+$");

    @Override
    public void configure() {
        String interval = getContext().getPropertiesComponent().resolveProperty(POLL_INTERVAL)
                .orElse(DEFAULT_POLL_INTERVAL).strip();
        if (!DURATION.matcher(interval).matches()) {
            throw new IllegalArgumentException(POLL_INTERVAL + " is '" + interval + "': expected a duration such as"
                    + " 30s, 2m, 1m30s or 30000 (milliseconds)");
        }
        long millis = TimeUtils.toMilliSeconds(interval);
        if (millis < 1000) {
            throw new IllegalArgumentException(POLL_INTERVAL + " is '" + interval + "': expected at least 1s");
        }
        from("quartz:camrelay/definitions?stateful=true&trigger.repeatCount=-1&trigger.repeatInterval=" + millis)
                .routeId(ROUTE_ID)
                .process(POLLER_BEAN);
    }
}
