package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Mp4AudioClockTest {

    @Test
    void placesFramesExactlyOneFrameApartDespiteTheirRoundedMilliseconds() {
        Mp4AudioClock clock = new Mp4AudioClock(0, 48_000);
        List<Long> positions = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            positions.add(clock.position(SilentAac.DEFAULT.timestampMs(n), 1024));
        }

        for (int n = 0; n < 100; n++) {
            assertThat(positions.get(n)).isEqualTo(1024L * n);
        }
    }

    @Test
    void keepsAGapOfMoreThanHalfAFrame() {
        Mp4AudioClock clock = new Mp4AudioClock(0, 48_000);
        clock.position(0, 1024);

        assertThat(clock.position(5_000, 1024)).isEqualTo(240_000);
    }

    @Test
    void startsAtTheOffsetOfTheFirstFrameFromTheOrigin() {
        assertThat(new Mp4AudioClock(80, 48_000).position(85, 1024)).isEqualTo(240);
    }

    @Test
    void rejectsATimestampGoingBackwards() {
        Mp4AudioClock clock = new Mp4AudioClock(0, 48_000);
        clock.position(100, 1024);

        assertThatThrownBy(() -> clock.position(99, 1024)).isInstanceOf(Mp4FormatException.class)
                .hasMessage("audio timestamp 99 ms goes backwards (expected at least the previous frame's 100 ms)");
    }
}
