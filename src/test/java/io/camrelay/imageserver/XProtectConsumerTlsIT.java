package io.camrelay.imageserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camrelay.imageserver.session.ImageServerSessionState;
import io.camrelay.simulator.ImageServerBackend;
import io.camrelay.simulator.ImageServerSimulator;
import io.camrelay.simulator.SimulatedCamera;
import io.camrelay.simulator.SimulatorClip;
import io.camrelay.testing.Tools;
import io.camrelay.vms.RecorderAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An https recording server: the simulated ImageServer behind a real stunnel with a self-signed certificate. */
class XProtectConsumerTlsIT {

    private static final String CAM = "55555555-eeee-4000-8000-000000000005";

    @TempDir
    Path dir;
    private ImageServerSimulator simulator;
    private TestVms vms;
    private Process stunnel;
    private CamelContext context;
    private final AtomicInteger pictures = new AtomicInteger();

    @BeforeEach
    void startTlsRecorder() throws Exception {
        simulator = new ImageServerSimulator(new ImageServerBackend() {
            @Override
            public Optional<SimulatedCamera> camera(String cameraId) {
                return CAM.equals(cameraId)
                        ? Optional.of(new SimulatedCamera(CAM, "Tls", SimulatorClip.H264_BASELINE, "s")) : Optional.empty();
            }

            @Override
            public boolean tokenValid(String vmsToken) {
                return vms.valid(vmsToken);
            }
        });
        simulator.start("127.0.0.1", 0);
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Tools.run(60, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days",
                "1", "-keyout", key.toString(), "-out", cert.toString(), "-addext", "subjectAltName=IP:127.0.0.1")
                .requireSuccess("openssl req");
        int tlsPort = freePort();
        Path conf = dir.resolve("stunnel.conf");
        Files.writeString(conf, "foreground = yes\npid =\n[imageserver]\naccept = 127.0.0.1:" + tlsPort
                + "\nconnect = 127.0.0.1:" + simulator.port() + "\ncert = " + cert + "\nkey = " + key + "\n");
        stunnel = new ProcessBuilder(Tools.require("stunnel4"), conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stunnel.log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> listening(tlsPort));
        vms = new TestVms(new RecorderAddress("127.0.0.1", tlsPort, true), Duration.ofMinutes(10));
    }

    @AfterEach
    void stopAll() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (stunnel != null) {
            stunnel.destroy();
            stunnel.waitFor();
        }
        vms.close();
        simulator.close();
    }

    @Test
    void streamsFromAnHttpsRecorderWhenTheOperatorTrustsItsSelfSignedCertificate() throws Exception {
        startRoute("trustAllCertificates=true");

        await().atMost(Duration.ofSeconds(15)).until(() -> pictures.get() > 25);

        assertThat(consumer().getState()).isEqualTo(ImageServerSessionState.STREAMING);
    }

    @Test
    void refusesASelfSignedRecorderCertificateByDefault() throws Exception {
        startRoute("trustAllCertificates=false");

        await().atMost(Duration.ofSeconds(15)).until(() -> consumer().getReconnectCount() >= 1);

        assertThat(consumer().getState()).isEqualTo(ImageServerSessionState.RECONNECTING);
        assertThat(consumer().getLastError()).contains("certificate was refused")
                .contains("trustAllCertificates=true");
        assertThat(pictures.get()).isZero();
    }

    private void startRoute(String options) throws Exception {
        context = new DefaultCamelContext();
        context.getRegistry().bind("vms", vms);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("xprotect:" + CAM + "?reconnectInitialDelay=200&reconnectMaxDelay=1000&" + options).routeId("tls")
                        .process(e -> pictures.incrementAndGet());
            }
        });
        context.start();
    }

    private XProtectConsumer consumer() {
        return (XProtectConsumer) context.getRoute("tls").getConsumer();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
