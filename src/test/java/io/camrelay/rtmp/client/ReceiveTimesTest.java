package io.camrelay.rtmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReceiveTimesTest {

    private final ReceiveTimes times = new ReceiveTimes();

    @Test
    void writtenFrameGetsItsReceiveTimeOnce() {
        times.add(40, 1_000);

        assertThat(times.take(40)).isEqualTo(1_000);
        assertThat(times.take(40)).isEqualTo(ReceiveTimes.NONE);
    }

    @Test
    void framesDroppedBeforeAWrittenOneAreForgotten() {
        times.add(0, 100);
        times.add(40, 200);
        times.add(80, 300);

        assertThat(times.take(80)).isEqualTo(300);
        assertThat(times.size()).isZero();
    }

    @Test
    void frameWithoutAReceiveTimeLeavesLaterEntriesAlone() {
        times.add(80, 300);

        assertThat(times.take(40)).isEqualTo(ReceiveTimes.NONE);
        assertThat(times.take(80)).isEqualTo(300);
    }

    @Test
    void fullRingForgetsTheOldestEntry() {
        for (int i = 0; i <= ReceiveTimes.CAPACITY; i++) {
            times.add(i, i * 10L);
        }

        assertThat(times.size()).isEqualTo(ReceiveTimes.CAPACITY);
        assertThat(times.take(0)).isEqualTo(ReceiveTimes.NONE);
        assertThat(times.take(1)).isEqualTo(10);
    }
}
