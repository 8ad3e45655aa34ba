package io.camrelay.rtmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleFromTheInitialToTheCap() {
        Backoff b = new Backoff(1000, 60_000, 30_000, () -> 0.5);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            delays.add(b.nextDelayMillis(false));
        }

        assertThat(delays).containsExactly(1000L, 2000L, 4000L, 8000L, 16_000L, 32_000L, 60_000L, 60_000L, 60_000L);
    }

    @Test
    void jitterStaysWithinTwentyPercentAndNeverPassesTheCap() {
        assertThat(new Backoff(1000, 60_000, 30_000, () -> 0.0).nextDelayMillis(false)).isEqualTo(800);
        assertThat(new Backoff(1000, 60_000, 30_000, () -> 0.999_999).nextDelayMillis(false)).isEqualTo(1200);
        Backoff capped = new Backoff(60_000, 60_000, 30_000, () -> 0.999_999);
        assertThat(capped.nextDelayMillis(false)).isEqualTo(60_000);
    }

    @Test
    void aRejectionWaitsAtLeastTheRejectionDelay() {
        Backoff b = new Backoff(1000, 60_000, 30_000, () -> 0.5);

        assertThat(b.nextDelayMillis(true)).isEqualTo(30_000);
    }

    @Test
    void resetStartsAgainAtTheInitialDelay() {
        Backoff b = new Backoff(1000, 60_000, 30_000, () -> 0.5);
        b.nextDelayMillis(false);
        b.nextDelayMillis(false);

        b.reset();

        assertThat(b.nextDelayMillis(false)).isEqualTo(1000);
    }
}
