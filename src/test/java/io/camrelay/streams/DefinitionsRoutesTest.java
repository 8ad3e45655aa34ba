package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

class DefinitionsRoutesTest extends CamelTestSupport {

    private final StreamStatusRegistry registry = new StreamStatusRegistry();
    private Path file;

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.setProperty(DefinitionsRoutes.POLL_INTERVAL, "1s");
        return p;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        ctx.getRouteController().supervising();
        file = Files.createTempFile("streams", ".yaml");
        write("a", "a.flv", "b", "b.flv");
        StreamReconciler reconciler = new StreamReconciler(ctx, registry, CameraResolver.AS_WRITTEN,
                new StreamOutputsRegistry(ctx, registry, TestDestinationTypes.standard(), HoldDecision.ALWAYS));
        ctx.getRegistry().bind(DefinitionsRoutes.POLLER_BEAN, new StreamDefinitionsPoller(
                new DefinitionsMerger(new StreamsFileLoader(TestDestinationTypes.standard()), file), reconciler, null));
        return ctx;
    }

    @Override
    protected void doPostSetup() throws Exception {
        // the shipped YAML route, as Camel Main loads it; added at run time, so started explicitly (supervised)
        DefinitionsRoutes.publishPollInterval(context);
        org.apache.camel.support.PluginHelper.getRoutesLoader(context).loadRoutes(
                org.apache.camel.support.ResourceHelper.resolveMandatoryResource(context,
                        DefinitionsRoutes.ROUTE_RESOURCE));
        context.getRouteController().startRoute(DefinitionsRoutes.ROUTE_ID);
    }

    private void write(String... idAndUrl) throws Exception {
        StringBuilder yaml = new StringBuilder("streams:\n");
        for (int i = 0; i < idAndUrl.length; i += 2) {
            yaml.append("  - name: ").append(idAndUrl[i]).append("\n    camera: cam\n    url: ")
                    .append(idAndUrl[i + 1]).append('\n');
        }
        Files.writeString(file, yaml);
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        return new RoutesBuilder[] {new RouteBuilder() {
            @Override
            public void configure() {
                TestStreamTemplate.declare(this)
                        .from("timer:{{streamId}}?period=50")
                        .to("mock:{{streamId}}");
            }
        }};
    }

    private Route route(String id) {
        return context.getRoute(StreamDefinition.routeIdOf(id));
    }

    @Test
    void followsTheFileRestartingOnlyWhatChangedAndKeepingTheLastGoodSetWhenItBreaks() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> route("a") != null && route("b") != null);
        Route a = route("a");
        Route b = route("b");

        // a new destination goes to the stream's outputs: the camera side (the route) keeps running
        write("a", "a.flv", "b", "b2.flv");
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.definition("b").orElseThrow().destinations()
                .get(0).url().equals("b2.flv"));
        assertThat(route("a")).isSameAs(a);
        assertThat(route("b")).isSameAs(b);

        Files.writeString(file, "streams:\n  - name: a\n   camera: [\n");
        Route b2 = route("b");
        Thread.sleep(2500);
        assertThat(route("a")).isSameAs(a);
        assertThat(route("b")).isSameAs(b2);

        write("b", "b2.flv");
        await().atMost(Duration.ofSeconds(10)).until(() -> route("a") == null);
        assertThat(route("b")).isSameAs(b2);
        assertThat(registry.ids()).containsExactly("b");
    }

    @Test
    void rejectsAPollIntervalThatIsNotADuration() {
        CamelContext ctx = new org.apache.camel.impl.DefaultCamelContext();
        ctx.getPropertiesComponent().addInitialProperty(DefinitionsRoutes.POLL_INTERVAL, "often");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DefinitionsRoutes.publishPollInterval(ctx))
                .hasMessageContaining("camrelay.streams.poll-interval is 'often': expected a duration such as 30s");
    }
}
