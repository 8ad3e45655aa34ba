package io.camrelay.vms;

import io.camrelay.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.testing.Tools;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VMS on HTTPS with a self-signed certificate for another host name (made with keytool): refused by default,
 * accepted with camrelay.xprotect.trust-all-certificates, which is logged as a warning.
 */
class VmsHttpsTest {

    private static final char[] PASS = "changeit".toCharArray();

    @TempDir
    Path dir;
    private XProtectSimulator sim;
    private VmsSession session;

    @BeforeEach
    void startHttpsSimulator() throws Exception {
        Path keystore = dir.resolve("vms.p12");
        Tools.run(60, "keytool", "-genkeypair", "-alias", "vms", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-dname", "CN=vms.other.example", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", "changeit", "-keypass", "changeit").requireSuccess("keytool");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASS);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        sim = XProtectSimulator.builder().tls(ctx).build().start();
    }

    @AfterEach
    void stop() {
        if (session != null) {
            session.close();
        }
        sim.close();
    }

    @Test
    void selfSignedCertificateIsRefusedByDefaultWithTheFix() {
        session = new VmsSession(VmsConfiguration.of(sim.baseUrl(), sim.username(), sim.password()));

        assertThatThrownBy(session::vmsToken).isInstanceOf(VmsUnavailableException.class)
                .hasMessageContaining("POST " + sim.baseUrl() + "/IDP/connect/token: TLS failed")
                .hasMessageContaining("camrelay.xprotect.trust-all-certificates=true");
        assertThat(sim.tokenRequests()).isZero();
    }

    @Test
    void trustAllAcceptsAnyCertificateAndHostNameAndWarns() {
        VmsConfiguration config = VmsConfiguration.of(sim.baseUrl(), sim.username(), sim.password());
        config.setTrustAllCertificates(true);
        try (LogCapture logs = LogCapture.capture()) {
            session = new VmsSession(config);

            assertThat(sim.tokenValid(session.vmsToken())).isTrue();
            assertThat(session.recorderFor(XProtectSimulator.DEMO_CAMERA_ID).port()).isEqualTo(sim.imageServerPort());
            assertThat(logs.count("WARN", "certificate and host name are NOT verified")).isEqualTo(1);
        }
    }
}
