package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.rtmp.client.RtmpPublisherState;
import io.camrelay.rtmp.client.RtmpPublisherStats;
import io.camrelay.testing.FlvFiles;
import java.time.Duration;
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
}
