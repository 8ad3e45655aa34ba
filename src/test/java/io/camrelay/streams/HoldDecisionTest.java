package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HoldDecisionTest {

    /** A stand-in for the ImageServer's privacy-mask refusal, which the application's wiring names. */
    static final class PrivacyMaskStandIn extends RuntimeException {
        PrivacyMaskStandIn() {
            super("camera has a privacy mask");
        }
    }

    private final HoldDecision decision = new HoldDecision(List.of(PrivacyMaskStandIn.class));

    @Test
    void everyLossOfTheCameraSideHolds() {
        assertThat(decision.holds(null)).as("a dropped or stalled session").isTrue();
        assertThat(decision.holds(new IOException("recorder unreachable"))).isTrue();
        assertThat(decision.holds(new IllegalStateException("camera changed its codec"))).isTrue();
        assertThat(HoldDecision.ALWAYS.holds(new PrivacyMaskStandIn())).isTrue();
    }

    @Test
    void aCauseNamedByTheHookEndsTheBroadcastWhereverItIsInTheChain() {
        assertThat(decision.holds(new PrivacyMaskStandIn())).isFalse();
        assertThat(decision.holds(new RuntimeException("route failed", new PrivacyMaskStandIn()))).isFalse();
    }
}
