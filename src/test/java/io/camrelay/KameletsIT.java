package io.camrelay;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.GenericByteData;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.LogCapture;
import io.camrelay.testing.NginxRtmp;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.DumpRoutesStrategy;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * The Kamelets the jar ships ({@code classpath:kamelets}, README "Kamelets") in a plain Camel context, as a user of
 * an existing Camel estate runs them: a YAML route from {@code xprotect-camera-source} to {@code rtmp-sink} publishes
 * the simulator's demo camera to nginx-rtmp and the recording decodes; {@code xprotect-camera-raw-source} emits
 * GenericByteData. The VMS password and the stream key, set as Kamelet properties as the README says, appear in no
 * route dump, endpoint URI, JMX name or log line, and each source's VMS session is logged out when its route stops.
 */
class KameletsIT {

    /** Long enough for two GOPs (2 s each) at nginx. */
    private static final long RUN_MS = 5_000;
    private static final String PASSWORD = "kamelet-vms-Pa55word";
    private static final String STREAM_KEY = "lobbykey7319";

    private static final String ROUTES = """
            - route:
                id: lobby
                from:
                  uri: kamelet:xprotect-camera-source
                  parameters:
                    camera: %s
                    vmsUrl: "{{vms.url}}"
                    username: camrelay
                  steps:
                    - to:
                        uri: kamelet:rtmp-sink/lobby-rtmp
                        parameters:
                          url: "{{rtmp.url}}"
            - route:
                id: raw
                from:
                  uri: kamelet:xprotect-camera-raw-source
                  parameters:
                    camera: %s
                    vmsUrl: "{{vms.url}}"
                    username: camrelay
                  steps:
                    - to: mock:raw
            """.formatted(XProtectSimulator.DEMO_CAMERA_ID, XProtectSimulator.BFRAMES_CAMERA_ID);

    @Test
    void aYamlRouteFromTheCameraSourceToTheRtmpSinkPublishesADecodableStreamAndShowsNoSecret() throws Exception {
        try (LogCapture log = LogCapture.capture();
                XProtectSimulator vms = XProtectSimulator.builder().credentials("camrelay", PASSWORD).build().start();
                NginxRtmp nginx = NginxRtmp.start()) {
            List<String> endpointUris;
            String jmx;
            try (CamelContext camel = new DefaultCamelContext()) {
                Properties properties = new Properties();
                properties.put("vms.url", vms.baseUrl());
                properties.put("rtmp.url", "rtmp://127.0.0.1:" + nginx.port() + "/live");
                properties.put("camel.kamelet.xprotect-camera-source.password", PASSWORD);
                properties.put("camel.kamelet.xprotect-camera-raw-source.password", PASSWORD);
                properties.put("camel.kamelet.rtmp-sink.lobby-rtmp.streamKey", STREAM_KEY);
                camel.getPropertiesComponent().setInitialProperties(properties);
                PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("relay.camel.yaml", ROUTES));
                MockEndpoint raw = camel.getEndpoint("mock:raw", MockEndpoint.class);
                raw.expectedMinimumMessageCount(25);

                camel.start();
                raw.assertIsSatisfied(TimeUnit.SECONDS.toMillis(20));
                Thread.sleep(RUN_MS);
                // as camel.main.dump-routes=yaml does: placeholders resolved
                camel.getCamelContextExtension().getContextPlugin(DumpRoutesStrategy.class).dumpRoutes("yaml");
                endpointUris = camel.getEndpoints().stream().map(Endpoint::getEndpointUri).toList();
                jmx = jmxEndpoints(camel);

                byte[] picture = raw.getExchanges().get(0).getMessage().getBody(byte[].class);
                assertThat(GenericByteData.parse(picture).codecId()).as("the raw source's GenericByteData codec")
                        .isNotZero();
                assertThat(raw.getExchanges().get(0).getMessage().getHeaders()).containsKey("CamRelayCameraId");
            }

            assertThat(vms.logouts()).as("VMS sessions logged out when the routes stopped").isEqualTo(2);
            assertDecodableRecording(nginx);
            assertThat(log.text()).as("the route dump was logged").contains("kamelet:rtmp-sink/lobby-rtmp");
            assertThat(endpointUris).as("the sink's endpoint").anyMatch(u -> u.startsWith("rtmp://127.0.0.1:"));
            assertThat(jmx).as("JMX endpoint URIs").contains("rtmp://127.0.0.1:");
            for (String secret : List.of(PASSWORD, STREAM_KEY)) {
                assertThat(endpointUris).as("endpoint URIs").noneMatch(u -> u.contains(secret));
                assertThat(jmx).as("JMX names and endpoint URIs").doesNotContain(secret);
                assertThat(log.text()).as("the log, route dump included").doesNotContain(secret);
            }
        }
    }

    /** The names of the context's MBeans, with the EndpointUri of those that have one. */
    private static String jmxEndpoints(CamelContext camel) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(
                new ObjectName("org.apache.camel:context=" + camel.getManagementName() + ",*"), null);
        assertThat(names).as("the context's MBeans (camel-management is on the test class path)").isNotEmpty();
        StringBuilder out = new StringBuilder();
        for (ObjectName name : names) {
            out.append(name);
            if ("endpoints".equals(name.getKeyProperty("type"))) {
                out.append(' ').append(server.getAttribute(name, "EndpointUri"));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void assertDecodableRecording(NginxRtmp nginx) {
        List<Path> recordings = nginx.recordings();
        assertThat(recordings).as("nginx recordings (error log: " + nginx.errorLog() + ")").hasSize(1);
        Path flv = recordings.get(0);
        assertThat(flv.getFileName().toString()).as("published under the stream key").startsWith(STREAM_KEY);
        assertThat(FfProbe.decodeErrors(flv)).isEmpty();
        FfProbe.Stream video = FfProbe.stream(flv, "video");
        System.out.printf("figures: the Kamelet route relayed %d frames in %d s%n", video.frames(), RUN_MS / 1000);
        assertThat(video.codecName()).isEqualTo("h264");
        assertThat(video.frames()).isGreaterThan((int) (RUN_MS / 40 * 0.6));
        assertThat(FfProbe.stream(flv, "audio").codecName()).isEqualTo("aac");
    }
}
