package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.rtmp.client.RtmpPublisherState;
import io.camrelay.rtmp.client.RtmpPublisherStats;
import io.camrelay.testing.FlvFiles;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Ports;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Slow and unreachable destinations against real servers: bounded memory, counted drops, reconnects. (The back-off
 * schedule itself is proved exactly, with a clock of its own, by RtmpPublisherTest.)
 */
class RtmpBackPressureIT {

    @Test
    void aFrozenServerCostsBoundedMemoryCountsDropsAndIsPublishedToAgainOnceItRuns() throws Exception {
        List<FlvTag> clip = FlvFiles.clipTags();
        long clipLength = clip.get(clip.size() - 1).timestamp() + 40;
        try (NginxRtmp nginx = NginxRtmp.start();
                RtmpRoutes routes = new RtmpRoutes(nginx.url("frozen-key"))) {
            routes.status.awaitState(RtmpPublisherState.STARTING, Duration.ofSeconds(5));
            boolean paused = false;
            boolean resumed = false;
            // The camera goes on at 8x real time, so a stall shows within seconds, not minutes.
            long wallStart = System.nanoTime();
            long deadline = wallStart + Duration.ofSeconds(60).toNanos();
            long offset = 0;
            outer:
            while (System.nanoTime() < deadline) {
                for (FlvTag tag : clip) {
                    if (offset > 0 && (tag.type() == FlvTagType.SCRIPT || tag.sequenceHeader())) {
                        continue;
                    }
                    long media = offset + tag.timestamp();
                    long wait = wallStart + media * 1_000_000L / 8 - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    }
                    routes.send(tag.withTimestamp(media));
                    RtmpPublisherStats s = routes.status.latest();
                    if (!paused && s != null && s.state() == RtmpPublisherState.STREAMING) {
                        nginx.pause(); // SIGSTOP: the connection stays open, nothing is read
                        paused = true;
                    } else if (paused && !resumed && s != null && s.reconnects() >= 1) {
                        nginx.resume();
                        resumed = true;
                    } else if (resumed && s != null && s.state() == RtmpPublisherState.STREAMING
                            && nginx.recordings().size() >= 2) {
                        break outer;
                    }
                }
                offset += clipLength;
            }
            List<RtmpPublisherStats> seen = routes.status.seen.stream().map(StatusRecorder.Seen::stats).toList();
            long maxQueuedBytes = seen.stream().mapToLong(RtmpPublisherStats::queuedBytes).max().orElseThrow();
            assertThat(resumed).as("the frozen server was noticed and the publisher reconnected").isTrue();
            assertThat(routes.status.latest().framesDropped()).as("frames dropped").isPositive();
            assertThat(maxQueuedBytes).as("largest queue in bytes").isLessThan(512 * 1024);
            assertThat(seen).extracting(RtmpPublisherStats::lastError)
                    .anyMatch(e -> e != null && e.contains("accepted no data for 10000 ms"));
            assertThat(seen).extracting(RtmpPublisherStats::state).contains(RtmpPublisherState.RECONNECTING);
            assertThat(routes.status.latest().state()).isEqualTo(RtmpPublisherState.STREAMING);
        }
    }

    @Test
    void anUnreachableServerIsRetriedWithTheFixInItsError() throws Exception {
        int closedPort = Ports.free();
        try (RtmpRoutes routes = new RtmpRoutes("rtmp://127.0.0.1:" + closedPort + "/live/nobody")) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> routes.status.latest() != null
                    && routes.status.latest().reconnects() >= 3 && routes.status.latest().lastError() != null);
            assertThat(routes.status.latest().state()).isEqualTo(RtmpPublisherState.RECONNECTING);
            assertThat(routes.status.latest().lastError()).startsWith("cannot connect to 127.0.0.1:" + closedPort)
                    .endsWith("check the host and port, and that the server is running");
        }
    }
}
