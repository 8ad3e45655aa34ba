package io.camrelay.app;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.spi.ManagementStrategy;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Camel's event notifiers from growing with every route start, and out of every picture's way
 * (docs/performance.md, "Event notifiers").
 *
 * <p>Camel 4.18's platform-http main server (the status server) registers a startup listener that adds a new event
 * notifier each time it is called, and Camel calls startup listeners whenever routes start on a running context.
 * Every stream route added or restarted so left more notifiers behind (216 at 100 streams, and more with every
 * restart for as long as the node runs), and each of them was asked about every exchange event — several per
 * picture — although it only wants the context-started and route-reloaded events. The Prometheus registry's reload
 * notifier and Micrometer's route notifier likewise want no exchange event but are asked about each one.
 *
 * <p>After each start (this listener is ordered last, so it runs after Camel's), the first of each such notifier is
 * kept and told to ignore exchange and step events, its copies are removed, and Camel's exchange-event notification
 * is switched off when no notifier left wants exchange events (a notifier added later that does switches it back on:
 * {@code ManagementStrategy.addEventNotifier}). Notifiers of other classes — a user's own, Camel's JMX notifications —
 * are left as they are.
 */
final class EventNotifierHygiene implements StartupListener, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(EventNotifierHygiene.class);

    /**
     * Camel's notifiers that handle no exchange or step event (each one's {@code isEnabled} accepts only context or
     * route events), by class name: they are anonymous or in optional modules.
     */
    static final Set<String> NO_EXCHANGE_EVENTS = Set.of(
            // logs the HTTP endpoint summary on CamelContextStarted and RouteReloaded; one added per route start
            "org.apache.camel.component.platform.http.main.MainHttpServerUtil$1$1",
            // re-registers meters on RouteReloaded
            "org.apache.camel.component.micrometer.prometheus.MicrometerPrometheus$1",
            // counts route starts and stops (RouteEvent only)
            "org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier");

    @Override
    public int getOrder() {
        return Ordered.LOWEST;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        apply(context);
    }

    /** Prunes and quietens {@code context}'s notifiers as described above; returns how many copies it removed. */
    static int apply(CamelContext context) {
        ManagementStrategy strategy = context.getManagementStrategy();
        if (strategy == null) {
            return 0;
        }
        Set<Class<?>> kept = new HashSet<>();
        int removed = 0;
        for (EventNotifier notifier : List.copyOf(strategy.getEventNotifiers())) {
            if (!NO_EXCHANGE_EVENTS.contains(notifier.getClass().getName())) {
                continue;
            }
            if (!kept.add(notifier.getClass())) {
                strategy.removeEventNotifier(notifier);
                removed++;
            } else if (notifier instanceof SimpleEventNotifierSupport quiet) {
                quiet.setIgnoreExchangeEvents(true);
                quiet.setIgnoreStepEvents(true);
            }
        }
        boolean exchangeEventsWanted = strategy.getEventNotifiers().stream()
                .anyMatch(n -> !n.isDisabled() && !n.isIgnoreExchangeEvents());
        if (!exchangeEventsWanted) {
            context.getCamelContextExtension().setEventNotificationApplicable(false);
        }
        if (removed > 0) {
            LOG.debug("removed {} duplicate Camel event notifiers; exchange events wanted: {}", removed,
                    exchangeEventsWanted);
        }
        return removed;
    }
}
