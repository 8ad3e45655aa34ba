package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.FlvTag;
import io.camrelay.testing.LogCapture;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.processor.SendProcessor;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Camel user writing the key into a raw rtmp(s) URI ({@code to("rtmps://host/app/KEY")}) finds it masked wherever
 * Camel shows the endpoint: route dumps, the log of an exhausted exchange, JMX names and attributes. Camel's own
 * sanitiser masks only query parameters it knows (docs/design.md §8), so the component does it.
 */
class RtmpUriMaskingTest {

    private static final String KEY = "SECRET-PATH-KEY-123";
    private static final String FB_KEY = "FB-1234567";
    private static final String QUERY_KEY = "QUERY-KEY-456";
    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    private void start(String... uris) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < uris.length; i++) {
                    from("direct:in" + i).routeId("r" + i).to(uris[i]);
                }
            }
        });
        context.start();
    }

    private String dumps() throws Exception {
        ModelCamelContext model = (ModelCamelContext) context;
        StringBuilder out = new StringBuilder();
        for (var route : model.getRouteDefinitions()) {
            out.append(PluginHelper.getModelToXMLDumper(context).dumpModelAsXml(context, route)).append('\n');
        }
        out.append(context.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedCamelContext().dumpRoutesAsXml(true)).append('\n');
        return out.toString();
    }

    private static String jmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        StringBuilder out = new StringBuilder();
        for (ObjectName name : server.queryNames(new ObjectName("org.apache.camel:type=endpoints,*"), null)) {
            out.append(name).append(' ').append(server.getAttribute(name, "EndpointUri")).append('\n');
        }
        for (ObjectName name : server.queryNames(new ObjectName("org.apache.camel:type=processors,*"), null)) {
            out.append(name).append(' ').append(server.getAttribute(name, "Destination")).append('\n');
        }
        return out.toString();
    }

    @Test
    void aKeyInTheUriIsMaskedInRouteDumpsExhaustedExchangeLogsAndJmx() throws Exception {
        try (LogCapture logs = LogCapture.capture()) {
            // Given routes to raw URIs with the key in the path, a Facebook key with its query, and streamKey=RAW(...)
            start("rtmps://127.0.0.1:9/app/" + KEY, "rtmps://127.0.0.1:9/rtmp/" + FB_KEY + "?s_bl=1&chunkSize=8192",
                    "rtmp://127.0.0.1:9/live?streamKey=RAW(" + QUERY_KEY + ")");

            // When an exchange fails in each (a body that is no FLV tag) and is exhausted
            for (int i = 0; i < 3; i++) {
                Exchange failed = context.createProducerTemplate().send("direct:in" + i, x -> x.getIn().setBody("x"));
                assertThat(failed.getException()).isNotNull();
            }

            // Then no key appears in the dumps, the logs or JMX, while the destinations are still recognisable
            String seen = dumps() + "\n" + logs.text() + "\n" + jmx() + "\n" + context.getEndpoints();
            assertThat(seen).contains("Exhausted after delivery attempt")
                    .contains("rtmps://127.0.0.1:9/app/****").contains("rtmps://127.0.0.1:9/rtmp/****")
                    .contains("rtmp://127.0.0.1:9/live/****");
            for (String secret : List.of(KEY, FB_KEY, QUERY_KEY)) {
                assertThat(seen).as("everything Camel shows of the routes").doesNotContain(secret);
            }
        }
    }

    @Test
    void aRouteAddedAgainFromItsMaskedModelStillPublishesWithTheKey() throws Exception {
        // Given a route with the key in its URI, removed and added again from its model (now masked)
        start("rtmps://127.0.0.1:9/app/" + KEY);
        ModelCamelContext model = (ModelCamelContext) context;
        var definition = model.getRouteDefinition("r0");
        context.getRouteController().stopRoute("r0");
        context.removeRoute("r0");
        model.addRouteDefinition(definition);

        // Then it runs, sending to the destination with the key, and its model still shows no key
        assertThat(context.getRouteController().getRouteStatus("r0").isStarted()).isTrue();
        SendProcessor send = (SendProcessor) context.getRoute("r0").filter("*").stream()
                .filter(SendProcessor.class::isInstance).findFirst().orElseThrow();
        assertThat(((RtmpEndpoint) send.getDestination()).getDestination().streamKey()).isEqualTo(KEY);
        Exchange sent = context.createProducerTemplate().send("direct:in0",
                x -> x.getIn().setBody(FlvTag.video(0, true, false, false, new byte[] {0x17, 1, 0, 0, 0})));
        assertThat(sent.getException()).isNull();
        assertThat(PluginHelper.getModelToXMLDumper(context).dumpModelAsXml(context, model.getRouteDefinition("r0")))
                .doesNotContain(KEY);
    }

    private List<RtmpEndpoint> rtmpEndpoints() {
        return context.getEndpoints().stream().filter(RtmpEndpoint.class::isInstance).map(RtmpEndpoint.class::cast)
                .toList();
    }

    @Test
    void twoKeysOnTheSameServerStayTwoEndpoints() throws Exception {
        start("rtmps://127.0.0.1:9/live2/KEY-ONE-111", "rtmps://127.0.0.1:9/live2/KEY-TWO-222");

        List<String> keys = rtmpEndpoints().stream().map(e -> e.getDestination().streamKey()).sorted().toList();
        List<String> uris = rtmpEndpoints().stream().map(RtmpEndpoint::getEndpointUri).toList();

        assertThat(keys).containsExactly("KEY-ONE-111", "KEY-TWO-222");
        assertThat(uris).doesNotHaveDuplicates().noneMatch(u -> u.contains("KEY-"));
    }
}
