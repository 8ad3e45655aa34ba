package io.camrelay.vms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginBackoffTest {

    private final Instant t0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void refusedCredentialsWaitFiveMinutesDoublingToHalfAnHour() {
        LoginBackoff b = new LoginBackoff();

        assertThat(b.credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(5));
        assertThat(b.credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(10));
        assertThat(b.credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(20));
        assertThat(b.credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(30));
        assertThat(b.credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void unreachableServerWaitsOneSecondDoublingToAMinute() {
        LoginBackoff b = new LoginBackoff();
        Duration last = Duration.ZERO;
        for (int i = 0; i < 10; i++) {
            last = b.unavailable(t0, "x");
        }

        assertThat(last).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void blocksUntilTheWaitHasPassedAndSuccessClearsIt() {
        LoginBackoff b = new LoginBackoff();
        b.credentialsRefused(t0, "x");

        assertThat(b.blocked(t0.plusSeconds(299))).isTrue();
        assertThat(b.blocked(t0.plusSeconds(300))).isFalse();
        b.reset();
        assertThat(b.credentialsRefused(t0, "x")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void humanDurationsReadNaturally() {
        assertThat(LoginBackoff.human(Duration.ofMinutes(5))).isEqualTo("5 min");
        assertThat(LoginBackoff.human(Duration.ofSeconds(252))).isEqualTo("4 min 12 s");
        assertThat(LoginBackoff.human(Duration.ofSeconds(30))).isEqualTo("30 s");
        assertThat(LoginBackoff.human(Duration.ofMillis(1500))).isEqualTo("1.5 s");
    }
}
