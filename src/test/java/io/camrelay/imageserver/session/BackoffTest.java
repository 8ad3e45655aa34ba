package io.camrelay.imageserver.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheInitialDelayWithinHalfAndAllOfEachStep() {
        Random random = new Random(42);
        for (int failures = 0; failures < 6; failures++) {
            long step = 1000L << failures;
            for (int i = 0; i < 100; i++) {
                assertThat(Backoff.delayMs(1000, 60_000, failures, random)).isBetween(step / 2, step);
            }
        }
    }

    @Test
    void neverExceedsTheMaximumHoweverManyFailures() {
        Random random = new Random(7);
        for (int failures : new int[] {6, 7, 30, 31, 64, Integer.MAX_VALUE}) {
            assertThat(Backoff.delayMs(1000, 60_000, failures, random)).isBetween(30_000L, 60_000L);
        }
    }

    @Test
    void jitterSpreadsSessionsLostTogether() {
        Random random = new Random(1);
        long first = Backoff.delayMs(1000, 60_000, 3, random);
        boolean differs = false;
        for (int i = 0; i < 20 && !differs; i++) {
            differs = Backoff.delayMs(1000, 60_000, 3, random) != first;
        }
        assertThat(differs).isTrue();
    }
}
