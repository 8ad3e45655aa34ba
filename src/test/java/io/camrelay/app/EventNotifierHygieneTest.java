package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Camel Main with the status server (platform-http) and metrics as CamRelay runs them: stream routes added and
 * restarted on the running context must not grow the event notifiers, and no notifier left may be asked about the
 * pictures' exchanges — while a notifier of one's own that wants exchange events still gets them. Route builders are
 * lambdas, not classes: Camel Main scans io.camrelay.app (test classes too) for route builder classes.
 */
class EventNotifierHygieneTest {

    private static final String SUMMARY_NOTIFIER = "org.apache.camel.component.platform.http.main.MainHttpServerUtil";

    private final Main main = new Main();

    @AfterEach
    void stop() {
        main.stop();
    }

    private CamelContext start(boolean hygiene) throws Exception {
        main.addOverrideProperty("camel.server.enabled", "true");
        main.addOverrideProperty("camel.server.host", "127.0.0.1");
        main.addOverrideProperty("camel.server.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("camel.metrics.enabled", "true");
        main.addOverrideProperty("camel.metrics.enableExchangeEventNotifier", "false");
        main.addOverrideProperty("camel.metrics.enableRoutePolicy", "false");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                if (hygiene) {
                    try {
                        m.getCamelContext().addStartupListener(new EventNotifierHygiene());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        });
        main.start();
        CamelContext camel = main.getCamelContext();
        // stream routes come one by one after the start, as the reconciler adds them; some are restarted later
        for (int i = 0; i < 20; i++) {
            String id = "stream-" + i;
            RouteBuilder.addRoutes(camel, rb -> rb.from("direct:" + id).routeId(id)
                    .process(e -> e.getMessage().setBody("tagged")));
        }
        for (int i = 0; i < 5; i++) {
            camel.getRouteController().stopRoute("stream-" + i);
            camel.getRouteController().startRoute("stream-" + i);
        }
        return camel;
    }

    private static long copiesOfTheSummaryNotifier(CamelContext camel) {
        return camel.getManagementStrategy().getEventNotifiers().stream()
                .filter(n -> n.getClass().getName().startsWith(SUMMARY_NOTIFIER)).count();
    }

    @Test
    void camelAloneAddsANotifierPerRouteStartThatSeesEveryExchange() throws Exception {
        CamelContext camel = start(false);

        // the defect the hygiene is for: if Camel fixes it, this test says the workaround can go
        assertThat(copiesOfTheSummaryNotifier(camel)).as("one at the start, one per route start since").isEqualTo(26);
        assertThat(camel.getCamelContextExtension().isEventNotificationApplicable()).isTrue();
    }

    @Test
    void routeStartsOnARunningContextLeaveOneSummaryNotifierAndNoneSeesTheExchanges() throws Exception {
        CamelContext camel = start(true);

        assertThat(copiesOfTheSummaryNotifier(camel)).isEqualTo(1);
        List<EventNotifier> left = camel.getManagementStrategy().getEventNotifiers();
        assertThat(left).as("Camel Main's placeholder summary, Micrometer's route and reload notifiers and the HTTP summary, once each").hasSize(4)
                .allSatisfy(n -> assertThat(n.isIgnoreExchangeEvents()).as(n.getClass().getName()).isTrue());
        assertThat(camel.getCamelContextExtension().isEventNotificationApplicable()).isFalse();
        assertThat(camel.createProducerTemplate().requestBody("direct:stream-3", "picture")).isEqualTo("tagged");
    }

    @Test
    void aNotifierOfOnesOwnThatWantsExchangeEventsStillGetsThemAfterTheHygiene() throws Exception {
        CamelContext camel = start(true);
        List<String> completed = new CopyOnWriteArrayList<>();
        camel.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeCompletedEvent done) {
                    completed.add(done.getExchange().getMessage().getBody(String.class));
                }
            }
        });
        RouteBuilder.addRoutes(camel, rb -> rb.from("direct:late").routeId("late").setBody(rb.constant("late")));

        ProducerTemplate template = camel.createProducerTemplate();
        template.requestBody("direct:stream-0", "picture");
        template.requestBody("direct:late", "picture");

        assertThat(completed).containsExactly("tagged", "late");
        assertThat(copiesOfTheSummaryNotifier(camel)).isEqualTo(1);
    }
}
