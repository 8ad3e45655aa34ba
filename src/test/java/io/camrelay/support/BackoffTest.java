package io.camrelay.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleFromTheInitialToTheCap() {
        Backoff b = new Backoff(1000, 60_000, () -> 0.5);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            delays.add(b.nextDelayMillis());
        }

        assertThat(delays).containsExactly(1000L, 2000L, 4000L, 8000L, 16_000L, 32_000L, 60_000L, 60_000L, 60_000L);
    }

    @Test
    void jitterStaysWithinTwentyPercentAndNeverPassesTheCap() {
        assertThat(new Backoff(1000, 60_000, () -> 0.0).nextDelayMillis()).isEqualTo(800);
        assertThat(new Backoff(1000, 60_000, () -> 0.999_999).nextDelayMillis()).isEqualTo(1200);
        Backoff capped = new Backoff(60_000, 60_000, () -> 0.999_999);
        assertThat(capped.nextDelayMillis()).isEqualTo(60_000);
    }

    @Test
    void aMinimumDelayIsHonouredFromTheFirstAttempt() {
        Backoff b = new Backoff(1000, 60_000, () -> 0.5);

        assertThat(b.nextDelayMillis(30_000)).isEqualTo(30_000);
    }

    @Test
    void resetStartsAgainAtTheInitialDelay() {
        Backoff b = new Backoff(1000, 60_000, () -> 0.5);
        b.nextDelayMillis();
        b.nextDelayMillis();

        b.reset();

        assertThat(b.nextDelayMillis()).isEqualTo(1000);
    }

    @Test
    void jitterSpreadsSessionsLostTogether() {
        Backoff b = new Backoff(1000, 60_000);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            b.reset();
            seen.add(b.nextDelayMillis());
        }
        assertThat(seen).hasSizeGreaterThan(1).allSatisfy(d -> assertThat(d).isBetween(800L, 1200L));
    }

    @Test
    void refusesAnInitialDelayAboveTheCap() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Backoff(5000, 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial 5000 ms and max 1000 ms");
    }
}
