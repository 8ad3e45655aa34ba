package io.camrelay.rtmp;

import io.camrelay.rtmp.client.RtmpPublisherListener;
import io.camrelay.rtmp.client.RtmpPublisherState;
import io.camrelay.rtmp.client.RtmpPublisherStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/** Test listener keeping every snapshot with the time it arrived. */
final class StatusRecorder implements RtmpPublisherListener {

    record Seen(long nanos, RtmpPublisherStats stats) {
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onStatus(RtmpPublisherStats stats) {
        seen.add(new Seen(System.nanoTime(), stats));
    }

    RtmpPublisherStats latest() {
        return seen.isEmpty() ? null : seen.get(seen.size() - 1).stats();
    }

    RtmpPublisherStats awaitState(RtmpPublisherState state, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> latest() != null && latest().state() == state);
        return latest();
    }

    /** Snapshots in order. */
    List<RtmpPublisherStats> all() {
        List<RtmpPublisherStats> out = new ArrayList<>();
        seen.forEach(s -> out.add(s.stats()));
        return out;
    }
}
