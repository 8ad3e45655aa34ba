package io.camrelay.rtmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.FlvTag;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Receive → socket write times: measured at the flush, once per frame, the first of a publish flagged. */
class FrameLatencyMeterTest {

    private static final byte[] PICTURE = {0x17, 1, 0, 0, 0};

    record Written(long latencyNanos, boolean firstOfPublish) {
    }

    private final List<Written> reported = new ArrayList<>();
    private long now = 1_000_000;
    private final FrameLatencyMeter meter = new FrameLatencyMeter((l, first) -> reported.add(new Written(l, first)),
            () -> now);

    private static FlvTag frame(long timestamp) {
        return FlvTag.video(timestamp, timestamp == 0, false, false, PICTURE);
    }

    @Test
    void eachWrittenFrameIsReportedOnceAtTheFlushWithItsTimeSinceReceive() {
        meter.received(frame(40), 100);
        meter.received(frame(80), 300);
        meter.written(frame(40));
        meter.written(frame(80));
        assertThat(reported).isEmpty();

        meter.flushed();
        meter.flushed();

        assertThat(reported).containsExactly(new Written(now - 100, false), new Written(now - 300, false));
    }

    @Test
    void theFirstFrameOfAPublishIsFlaggedAsItsStartUp() {
        meter.publishStarted();
        meter.received(frame(0), 100);
        meter.received(frame(40), 200);
        meter.written(frame(0));
        meter.written(frame(40));

        meter.flushed();

        assertThat(reported).extracting(Written::firstOfPublish).containsExactly(true, false);
    }

    @Test
    void aPublishStartingWithAFrameWithoutReceiveTimeMeasuresNoStartUp() {
        meter.publishStarted();
        meter.received(frame(40), 200);
        meter.written(frame(0));
        meter.written(frame(40));

        meter.flushed();

        assertThat(reported).containsExactly(new Written(now - 200, false));
    }

    @Test
    void sequenceHeadersAndAudioAreNotMeasured() {
        meter.received(FlvTag.video(0, true, true, false, PICTURE), 100);
        meter.received(FlvTag.audio(0, false, new byte[] {0x21}), 100);
        meter.written(FlvTag.video(0, true, true, false, PICTURE));
        meter.written(FlvTag.audio(0, false, new byte[] {0x21}));

        meter.flushed();

        assertThat(reported).isEmpty();
    }
}
