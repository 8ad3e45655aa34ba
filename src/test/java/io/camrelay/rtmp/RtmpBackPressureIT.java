package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.rtmp.client.RtmpPublisherState;
import io.camrelay.rtmp.client.RtmpPublisherStats;
import io.camrelay.testing.FlvFiles;
import io.camrelay.testing.Ports;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Slow and unreachable destinations: bounded memory, counted drops, reconnects with the back-off schedule. */
class RtmpBackPressureIT {

    @Test
    void serverThatStopsReadingCostsBoundedMemoryCountsDropsAndIsReconnected() throws Exception {
        List<FlvTag> clip = FlvFiles.clipTags();
        long clipLength = clip.get(clip.size() - 1).timestamp() + 40;
        try (StalledRtmpServer server = new StalledRtmpServer();
                RtmpRoutes routes = new RtmpRoutes("rtmp://127.0.0.1:" + server.port() + "/live/stalled")) {
            // The camera goes on at 8x real time, so the stall shows within seconds, not minutes.
            long deadline = System.nanoTime() + 45_000_000_000L;
            long offset = 0;
            long wallStart = System.nanoTime();
            outer:
            while (System.nanoTime() < deadline) {
                for (FlvTag tag : clip) {
                    if (offset > 0 && (tag.type() == FlvTagType.SCRIPT || tag.sequenceHeader())) {
                        continue;
                    }
                    long media = offset + tag.timestamp();
                    long due = wallStart + media * 1_000_000L / 8;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    }
                    routes.send(tag.withTimestamp(media));
                    RtmpPublisherStats s = routes.status.latest();
                    if (s != null && s.reconnects() >= 1 && server.stalled.get() >= 2) {
                        break outer;
                    }
                }
                offset += clipLength;
            }
            List<RtmpPublisherStats> seen = routes.status.all();
            RtmpPublisherStats last = routes.status.latest();
            long maxQueuedBytes = seen.stream().mapToLong(RtmpPublisherStats::queuedBytes).max().orElseThrow();
            assertThat(last.framesDropped()).as("frames dropped").isPositive();
            assertThat(maxQueuedBytes).as("largest queue in bytes").isLessThan(512 * 1024);
            assertThat(last.reconnects()).isGreaterThanOrEqualTo(1);
            assertThat(server.stalled.get()).as("publishes to the stalled server").isGreaterThanOrEqualTo(2);
            assertThat(seen).extracting(RtmpPublisherStats::lastError)
                    .anyMatch(e -> e != null && e.contains("accepted no data for 10000 ms"));
            assertThat(seen).extracting(RtmpPublisherStats::state).contains(RtmpPublisherState.RECONNECTING);
        }
    }

    @Test
    void unreachableServerIsRetriedAfterOneTwoAndFourSecondsWithJitter() throws Exception {
        int closedPort = Ports.free();
        try (RtmpRoutes routes = new RtmpRoutes("rtmp://127.0.0.1:" + closedPort + "/live/nobody")) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> routes.status.latest() != null && routes.status.latest().reconnects() >= 3
                            && routes.status.latest().lastError() != null);
            Thread.sleep(300);
            // The first failure report for each attempt number is the moment that attempt failed.
            List<Long> failedAt = new ArrayList<>();
            for (long attempt = 0; attempt <= 3; attempt++) {
                final long a = attempt;
                routes.status.seen.stream()
                        .filter(s -> s.stats().reconnects() == a
                                && s.stats().state() == RtmpPublisherState.RECONNECTING)
                        .findFirst().ifPresent(s -> failedAt.add(s.nanos()));
            }
            assertThat(failedAt).hasSize(4);
            assertThat(routes.status.latest().lastError()).startsWith("cannot connect to 127.0.0.1:" + closedPort)
                    .endsWith("check the host and port, and that the server is running");
            long[] expected = {1000, 2000, 4000};
            for (int i = 0; i < 3; i++) {
                long gapMs = (failedAt.get(i + 1) - failedAt.get(i)) / 1_000_000;
                assertThat(gapMs).as("delay before attempt " + (i + 1))
                        .isBetween((long) (expected[i] * 0.8) - 20, (long) (expected[i] * 1.2) + 250);
            }
        }
    }
}
