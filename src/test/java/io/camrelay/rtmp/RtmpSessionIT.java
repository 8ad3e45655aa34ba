package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.rtmp.client.RtmpPublisherState;
import io.camrelay.rtmp.client.RtmpPublisherStats;
import io.camrelay.testing.FlvFiles;
import io.camrelay.media.FlvTag;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Session edges against our own scripted RTMP server on 127.0.0.1: teardown, silent servers. */
class RtmpSessionIT {

    @Test
    void stoppingTheRouteUnpublishesAndDeletesTheStreamBeforeClosing() throws Exception {
        try (StalledRtmpServer server = new StalledRtmpServer(StalledRtmpServer.Mode.READ)) {
            RtmpRoutes routes = new RtmpRoutes("rtmp://127.0.0.1:" + server.port() + "/live/key");
            FlvFiles.clipTags().subList(0, 10).forEach(routes::send);
            routes.status.awaitState(RtmpPublisherState.STREAMING, Duration.ofSeconds(10));

            routes.close();

            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.commands.contains("deleteStream"));
            assertThat(server.commands).containsExactly("connect", "releaseStream", "FCPublish", "createStream",
                    "publish", "FCUnpublish", "deleteStream");
            assertThat(routes.status.latest().state()).isEqualTo(RtmpPublisherState.STOPPED);
        }
    }

    @Test
    void serverThatNeverAnswersPublishTimesOutWithAHintAboutTheKey() throws Exception {
        try (StalledRtmpServer server = new StalledRtmpServer(StalledRtmpServer.Mode.IGNORE_PUBLISH);
                RtmpRoutes routes = new RtmpRoutes("rtmp://127.0.0.1:" + server.port()
                        + "/live/silent-key?connectTimeout=1000&readTimeout=1000")) {
            routes.send(FlvFiles.clipTags().get(0));

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> routes.status.latest() != null
                    && routes.status.latest().lastError() != null);

            RtmpPublisherStats s = routes.status.latest();
            assertThat(s.state()).isEqualTo(RtmpPublisherState.RECONNECTING);
            assertThat(s.lastError()).isEqualTo("no NetStream.Publish.Start from rtmp://127.0.0.1:" + server.port()
                    + "/live/**** within 2000 ms (stuck at publish): the server neither accepted nor refused; check "
                    + "the URL and stream key ****");
        }
    }

    @Test
    void timelineReachingSevenDaysIsRepublishedAtAKeyFrameWithoutBackOff() throws Exception {
        long sevenDaysMinusOneSecond = 7L * 24 * 3600 * 1000 - 1000;
        try (StalledRtmpServer server = new StalledRtmpServer(StalledRtmpServer.Mode.READ);
                RtmpRoutes routes = new RtmpRoutes("rtmp://127.0.0.1:" + server.port()
                        + "/live/long-key?timestampOffset=" + sevenDaysMinusOneSecond)) {
            List<FlvTag> clip = FlvFiles.clipTags();
            // key frames at 0 (the start) and at 2 s, by then the timeline is past 7 days
            routes.feedLive(clip.stream().filter(t -> t.timestamp() <= 2600).toList(), 0);

            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.commands.stream().filter("publish"::equals).count() == 2);
            routes.status.awaitState(RtmpPublisherState.STREAMING, Duration.ofSeconds(5));

            assertThat(server.commands).containsSubsequence("publish", "FCUnpublish", "deleteStream", "connect",
                    "publish");
            RtmpPublisherStats s = routes.status.latest();
            assertThat(s.reconnects()).isEqualTo(1);
            assertThat(s.lastError()).contains("republishing at this key frame so timestamps restart at 0");
        }
    }
}
