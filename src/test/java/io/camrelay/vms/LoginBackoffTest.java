package io.camrelay.vms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginBackoffTest {

    private final Instant t0 = Instant.parse("2026-11-21T10:00:00Z");

    /** No jitter: the factor is 1 - 0.2 + 0.4 * 0.5. */
    private static LoginBackoff withoutJitter() {
        return new LoginBackoff(() -> 0.5);
    }

    @Test
    void refusedCredentialsWaitFiveMinutesDoublingToHalfAnHour() {
        LoginBackoff b = withoutJitter();

        assertThat(b.credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(5));
        assertThat(b.credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(10));
        assertThat(b.credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(20));
        assertThat(b.credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(30));
        assertThat(b.credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void unreachableServerWaitsOneSecondDoublingToAMinute() {
        LoginBackoff b = withoutJitter();
        Duration last = Duration.ZERO;
        for (int i = 0; i < 10; i++) {
            last = b.unavailable(t0, "x");
        }

        assertThat(last).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void blocksUntilTheWaitHasPassedAndSuccessClearsIt() {
        LoginBackoff b = withoutJitter();
        b.credentialsRefused(t0, "x");

        assertThat(b.blocked(t0.plusSeconds(299))).isTrue();
        assertThat(b.blocked(t0.plusSeconds(300))).isFalse();
        b.reset();
        assertThat(b.credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void everyWaitIsSpreadByTheJitterSoManyProcessesDoNotRetryInStep() {
        assertThat(new LoginBackoff(() -> 0.0).credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(4));
        assertThat(new LoginBackoff(() -> 0.999_999).credentialsRefused(t0, "x"))
                .isBetween(Duration.ofSeconds(359), Duration.ofMinutes(6));
        assertThat(new LoginBackoff(() -> 0.0).unavailable(t0, "x")).isEqualTo(Duration.ofMillis(800));
    }
}
