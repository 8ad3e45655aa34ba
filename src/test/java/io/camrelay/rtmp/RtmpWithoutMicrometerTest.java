package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.FlvTag;
import io.camrelay.rtmp.client.RtmpPublisherState;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional for the component: a Camel application without it on the class path gets a producer that
 * publishes, not a NoClassDefFoundError. The producer runs in a class loader that sees this test's class path
 * without Micrometer's jars.
 */
class RtmpWithoutMicrometerTest {

    @Test
    void publishesWhenMicrometerIsNotOnTheClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Path.of(entry).getFileName().toString().startsWith("micrometer-")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader withoutMicrometer = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> publish = withoutMicrometer.loadClass(PublishOneFrame.class.getName());
            @SuppressWarnings("unchecked")
            Callable<String> run = (Callable<String>) publish.getDeclaredConstructor().newInstance();

            // Camel finds its services through the context class loader
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(withoutMicrometer);
            String outcome;
            try {
                outcome = run.call();
            } finally {
                thread.setContextClassLoader(previous);
            }

            assertThat(outcome).isEqualTo("micrometer absent, " + RtmpPublisherState.STREAMING + ", frames sent 1");
        }
    }

    /** Runs in the class loader without Micrometer: publishes one frame to a loopback server. */
    public static final class PublishOneFrame implements Callable<String> {

        private static final byte[] AVC_CONFIG = {1, 0x42, 0, 0x1E, (byte) 0xFF, (byte) 0xE0, 0, 0};

        @Override
        public String call() throws Exception {
            String micrometer;
            try {
                Class.forName("io.micrometer.core.instrument.MeterRegistry");
                micrometer = "micrometer present";
            } catch (ClassNotFoundException expected) {
                micrometer = "micrometer absent";
            }
            StatusRecorder status = new StatusRecorder();
            try (StalledRtmpServer server = new StalledRtmpServer(StalledRtmpServer.Mode.READ);
                    CamelContext context = new DefaultCamelContext()) {
                context.getRegistry().bind("status", status);
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:in").to("rtmp://127.0.0.1:" + server.port()
                                + "/live/KEY?publisherListener=#status&statusInterval=50");
                    }
                });
                context.start();
                context.createProducerTemplate().sendBody("direct:in", List.of(
                        FlvTag.video(0, true, true, false, AVC_CONFIG),
                        FlvTag.video(0, true, false, false, new byte[100])));
                status.awaitState(RtmpPublisherState.STREAMING, Duration.ofSeconds(10));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (status.latest().framesSent() < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                return micrometer + ", " + status.latest().state() + ", frames sent " + status.latest().framesSent();
            }
        }
    }
}
