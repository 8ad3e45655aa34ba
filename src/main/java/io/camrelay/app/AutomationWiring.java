package io.camrelay.app;

import io.camrelay.alerts.StreamAlerts;
import io.camrelay.cluster.ClusterSettings;
import io.camrelay.cluster.ClusterType;
import io.camrelay.schedule.CameraLocations;
import io.camrelay.schedule.QuartzEdgeTimer;
import io.camrelay.schedule.ScheduleGate;
import io.camrelay.streams.GeoLocation;
import io.camrelay.streams.StreamGate;
import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.support.Durations;
import io.camrelay.vms.VmsSession;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * What {@link ApplicationWiring} makes for operator automation (docs/design.md §6 "Gates", §14): the schedule gate
 * with its Quartz edges and the camera positions from XProtect, and the alerts from the application's settings.
 */
final class AutomationWiring {

    /** Property: where alerts are POSTed (empty: no alerts). */
    static final String WEBHOOK_URL = "camrelay.alerts.webhook-url";
    /** Property: how long a stream is out of STREAMING before it is alerted (and STREAMING again before recovery). */
    static final String ALERTS_AFTER = "camrelay.alerts.after";
    /** {@value #ALERTS_AFTER} when unset. */
    static final Duration DEFAULT_ALERTS_AFTER = Duration.ofMinutes(2);

    private AutomationWiring() {
    }

    /** The schedule gate: now is {@code clock}'s, edges are Quartz triggers, positions come from the VMS if any. */
    static StreamGate scheduleGate(CamelContext camel, Clock clock) {
        VmsSession vms = camel.getRegistry().lookupByNameAndType(ApplicationWiring.VMS_SESSION_BEAN,
                VmsSession.class);
        CameraLocations locations = vms == null
                ? camera -> {
                    throw new IllegalStateException(ApplicationWiring.URL + " is not set, so the camera's position"
                            + " in XProtect cannot be read");
                }
                : camera -> vms.configApi().camera(camera).position()
                        .map(p -> new GeoLocation(p.latitude(), p.longitude()));
        return new ScheduleGate(clock, locations, new QuartzEdgeTimer(camel));
    }

    /** The alerting service when {@value #WEBHOOK_URL} is set. */
    static Optional<StreamAlerts> alerts(CamelContext camel, PropertiesComponent props,
                                         StreamStatusRegistry registry) {
        String url = props.resolveProperty(WEBHOOK_URL).map(String::strip).orElse("");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        Duration after = props.resolveProperty(ALERTS_AFTER).map(AutomationWiring::after)
                .orElse(DEFAULT_ALERTS_AFTER);
        ClusterSettings cluster = ClusterSettings.read(props::resolveProperty);
        return Optional.of(StreamAlerts.create(registry, webhook(url), after, cluster.type() == ClusterType.NONE
                ? null : new StreamAlerts.Cluster(cluster.nodeId(), cluster.describe()), camel::isStopping));
    }

    static Duration after(String value) {
        return Durations.parseAtLeast(ALERTS_AFTER, value, Duration.ofSeconds(1), "1s");
    }

    /** The webhook URL, checked; the message never quotes it (a Slack or Teams webhook URL is its own secret). */
    static URI webhook(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(WEBHOOK_URL + " is not a URL (" + e.getReason() + " at index "
                    + e.getIndex() + "): expected https://host/path, e.g. a Slack or Teams incoming webhook", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(WEBHOOK_URL + " is not an http:// or https:// URL with a host"
                    + (scheme.isEmpty() ? "" : " (its scheme is '" + scheme + "')") + ": expected https://host/path,"
                    + " e.g. a Slack or Teams incoming webhook");
        }
        return uri;
    }
}
