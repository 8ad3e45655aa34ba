package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutputTimelineTest {

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void aCameraPictureRightAfterAHoldPictureComesAFrameIntervalAfterIt() {
        OutputTimeline t = new OutputTimeline();
        for (int i = 0; i < 50; i++) {
            t.camera(40L * i, ms(40L * i));
        }
        long lastCamera = t.lastVideoMs();
        t.release();
        long hold = t.holdTimestamp(500);
        // a new route (timestamps from 0 again) whose first picture is handed over 510 ms after the last one:
        // by the wall clock it would sit 10 ms after the hold picture
        long resumed = t.camera(0, ms(40L * 49 + 510));
        assertThat(hold).isEqualTo(lastCamera + 500);
        assertThat(resumed - hold).as("after the hold picture").isGreaterThanOrEqualTo(40);
        assertThat(t.camera(40, ms(40L * 49 + 550)) - resumed).as("the camera's own timing again").isEqualTo(40);
    }

    @Test
    void holdPicturesAreAFrameIntervalApartEvenWhenDueTogether() {
        OutputTimeline t = new OutputTimeline();
        t.camera(0, 0);
        t.camera(40, ms(40));
        t.release();
        long first = t.holdTimestamp(0);
        long second = t.holdTimestamp(0);
        assertThat(first - 40).isGreaterThanOrEqualTo(40);
        assertThat(second - first).isGreaterThanOrEqualTo(40);
    }
}
