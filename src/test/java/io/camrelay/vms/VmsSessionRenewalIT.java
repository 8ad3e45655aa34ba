package io.camrelay.vms;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.simulator.XProtectSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Renewal over several lifetimes of a 20 s token (access and VMS TTL both 20 s): the session never hands out an
 * expired token, renews with a new token each time, delivers each to listeners, and logs out at the end.
 */
class VmsSessionRenewalIT {

    private static final Duration TTL = Duration.ofSeconds(20);
    private static final Duration RUN = Duration.ofSeconds(70);

    @Test
    void twentySecondTokensAreRenewedForAMinuteWithoutEverLapsing() throws Exception {
        try (XProtectSimulator sim = XProtectSimulator.builder().accessTokenTtl(TTL).vmsTokenTtl(TTL).build().start()) {
            List<String> delivered = new CopyOnWriteArrayList<>();
            List<String> lapses = new CopyOnWriteArrayList<>();
            VmsSession session = new VmsSession(VmsConfiguration.of(sim.baseUrl(), sim.username(),
                    sim.password()));
            session.addTokenListener(t -> {
                delivered.add(t);
                if (!sim.tokenValid(t)) {
                    lapses.add("listener got an invalid token");
                }
            });
            String first = session.vmsToken();
            long end = System.nanoTime() + RUN.toNanos();
            while (System.nanoTime() < end) {
                String now = session.vmsToken();
                if (!sim.tokenValid(now)) {
                    lapses.add("vmsToken() returned a token the VMS no longer accepts");
                }
                // The REST side keeps working across access-token renewals too.
                assertThat(session.configApi().cameraById(XProtectSimulator.DEMO_CAMERA_ID)).isPresent();
                Thread.sleep(1000);
            }
            String last = session.vmsToken();
            session.close();

            assertThat(lapses).isEmpty();
            // Renewal at 75 % of 20 s: at 15, 30, 45 and 60 s.
            assertThat(delivered).hasSizeGreaterThanOrEqualTo(4).doesNotHaveDuplicates().doesNotContain(first);
            assertThat(delivered.get(delivered.size() - 1)).isEqualTo(last);
            assertThat(sim.renewals()).isEqualTo(delivered.size());
            assertThat(sim.logins()).isEqualTo(1);
            assertThat(sim.logouts()).isEqualTo(1);
            assertThat(sim.tokenValid(last)).isFalse();
        }
    }
}
