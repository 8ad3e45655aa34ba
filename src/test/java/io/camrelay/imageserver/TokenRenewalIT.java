package io.camrelay.imageserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camrelay.media.GenericByteData;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.vms.VmsConfiguration;
import io.camrelay.vms.VmsSession;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Every real part of token renewal at once: the real {@link VmsSession} logs in to the simulator, whose access and VMS
 * tokens live 12 s, and an {@code xprotect:} consumer streams the demo camera past the first token's end. The
 * session renews (REST keeps working), the renewal goes to the recorder as a {@code connectupdate} on the one open
 * ImageServer connection, and no picture is missing. (It replaces two 70 s runs with 20 s tokens that proved the
 * same; the VMS session renews a token no sooner than 10 s.)
 */
class TokenRenewalIT {

    private static final Duration TTL = Duration.ofSeconds(12);
    private static final long FRAME_MS = 40;

    @Test
    void aRenewedTokenGoesToTheRecorderOnTheOpenConnectionAndNoPictureIsLost() throws Exception {
        List<GenericByteData> pictures = new CopyOnWriteArrayList<>();
        try (XProtectSimulator simulator = XProtectSimulator.builder().accessTokenTtl(TTL).vmsTokenTtl(TTL).build()
                .start()) {
            VmsSession session = new VmsSession(VmsConfiguration.of(simulator.baseUrl(), simulator.username(),
                    simulator.password()));
            String first = session.vmsToken();
            try (CamelContext camel = new DefaultCamelContext()) {
                camel.getRegistry().bind("vms", session);
                camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                    @Override
                    public void configure() {
                        from("xprotect:" + XProtectSimulator.DEMO_CAMERA_ID).routeId("demo")
                                .process(e -> pictures.add(GenericByteData.parse(e.getIn().getBody(byte[].class))));
                    }
                });
                camel.start();
                // past the first token's end: without the connectupdate the recorder would have closed the session
                await().atMost(Duration.ofSeconds(40)).until(() -> simulator.renewals() >= 1
                        && !simulator.tokenValid(first) && pictures.size() > 50);

                assertThat(session.configApi().cameraById(XProtectSimulator.DEMO_CAMERA_ID))
                        .as("REST after the access token was renewed").isPresent();
                assertThat(simulator.imageServer().acceptedConnects(XProtectSimulator.DEMO_CAMERA_ID))
                        .as("ImageServer connections").isEqualTo(1);
                assertThat(simulator.imageServer().acceptedConnectUpdates(XProtectSimulator.DEMO_CAMERA_ID))
                        .as("connectupdates").isGreaterThanOrEqualTo(1);
                assertThat(simulator.logins()).as("renewal is Login with the old token, not a new login").isEqualTo(1);
            }
            assertContiguous(pictures);
            session.close();
            assertThat(simulator.logouts()).isEqualTo(1);
        }
    }

    /** Consecutive sequence numbers, and picture times one frame apart: nothing lost across the renewal. */
    private static void assertContiguous(List<GenericByteData> pictures) {
        for (int i = 1; i < pictures.size(); i++) {
            GenericByteData a = pictures.get(i - 1);
            GenericByteData b = pictures.get(i);
            assertThat(b.sequence()).as("sequence after picture " + i).isEqualTo((a.sequence() + 1) & 0xFFFF);
            assertThat(b.pictureTimestamp() - a.pictureTimestamp()).as("picture time step at " + i)
                    .isEqualTo(FRAME_MS);
        }
    }
}
