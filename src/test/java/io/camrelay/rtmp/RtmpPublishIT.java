package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.rtmp.client.RtmpPublisherState;
import io.camrelay.rtmp.client.RtmpPublisherStats;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.FlvFiles;
import io.camrelay.testing.LogCapture;
import io.camrelay.testing.NginxRtmp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Publishing through a Camel route to real servers (nginx-rtmp recording, ffmpeg -listen) and checking what arrived. */
class RtmpPublishIT {

    private static final String KEY = "cam1-secret-key";

    @Test
    void clipPublishedThroughRouteIsRecordedCompleteAndDecodes() throws Exception {
        List<FlvTag> clip = FlvFiles.clipTags();
        try (LogCapture logs = new LogCapture(); NginxRtmp nginx = NginxRtmp.start()) {
            RtmpPublisherStats end;
            try (RtmpRoutes routes = new RtmpRoutes(nginx.url(KEY))) {
                routes.feedLive(clip, 0);
                end = awaitDrained(routes);
            }
            assertThat(logs.text()).contains("streaming to rtmp://127.0.0.1:" + nginx.port() + "/live/****")
                    .doesNotContain(KEY);
            // Every frame is accounted for: sent, or dropped (the audio stamped before the first key frame always is;
            // a machine too loaded to keep up may drop disposable frames too, which is the queue's job, not a fault)
            assertThat(end.framesDropped()).isGreaterThanOrEqualTo(audioBeforeFirstKeyFrame(clip));
            assertThat(end.framesSent() + end.framesDropped()).isEqualTo(mediaFrames(clip));
            assertThat(end.reconnects()).isZero();
            List<Path> recordings = nginx.recordings();
            assertThat(recordings).hasSize(1);
            // and what was sent is what nginx recorded, frame for frame
            assertThat(FfProbe.packets(recordings.get(0))).hasSize((int) end.framesSent());
            assertDecodesFromKeyFrame(recordings.get(0), -1);
        }
    }

    @Test
    void timelineCrossingTheExtendedTimestampBoundaryStillDecodes() throws Exception {
        // 0xFFFFFF ms (4 h 39 min) is crossed 2 s into the clip: fmt 0 and fmt 3 chunks carry extended timestamps.
        long offset = 0xFFFFFFL - 2000;
        List<FlvTag> clip = FlvFiles.clipTags();
        try (FfmpegListen ffmpeg = new FfmpegListen(KEY, true)) {
            try (RtmpRoutes routes = new RtmpRoutes(ffmpeg.url(KEY) + "?timestampOffset=" + offset)) {
                routes.feedLive(clip, 0);
                awaitDrained(routes);
            }
            Path out = ffmpeg.awaitOutput();
            assertThat(ffmpeg.errorsBesidesEndOfInput()).isEmpty();
            assertDecodesFromKeyFrame(out, FlvFiles.CLIP_VIDEO_FRAMES);
            List<FfProbe.Packet> video = FfProbe.packets(out).stream().filter(p -> p.codecType().equals("video"))
                    .toList();
            assertThat(video.get(0).dtsMs()).isBetween(offset - 50, offset + 50);
            assertThat(video.get(video.size() - 1).dtsMs()).isGreaterThan(0xFFFFFFL);
            for (int i = 1; i < video.size(); i++) {
                assertThat(video.get(i).dtsMs() - video.get(i - 1).dtsMs()).as("gap before video packet " + i)
                        .isBetween(30L, 50L);
            }
        }
    }

    @Test
    void serverRestartMidStreamLeadsToANewPublishWhoseRecordingDecodes() throws Exception {
        List<FlvTag> clip = FlvFiles.clipTags();
        List<FlvTag> twice = new ArrayList<>(clip);
        long length = clip.get(clip.size() - 1).timestamp() + 40;
        clip.stream().filter(t -> t.type() != FlvTagType.SCRIPT && !t.sequenceHeader())
                .forEach(t -> twice.add(t.withTimestamp(t.timestamp() + length)));
        try (NginxRtmp nginx = NginxRtmp.start()) {
            RtmpPublisherStats end;
            try (RtmpRoutes routes = new RtmpRoutes(nginx.url(KEY))) {
                Thread restart = new Thread(() -> {
                    routes.status.awaitState(RtmpPublisherState.STREAMING, Duration.ofSeconds(10));
                    sleep(3000);
                    nginx.restart();
                });
                restart.start();
                routes.feedLive(twice, 0);
                restart.join();
                end = awaitDrained(routes);
                assertThat(routes.status.all()).extracting(RtmpPublisherStats::state)
                        .contains(RtmpPublisherState.RECONNECTING);
            }
            assertThat(end.reconnects()).isGreaterThanOrEqualTo(1);
            List<Path> recordings = nginx.recordings();
            assertThat(recordings).hasSizeGreaterThanOrEqualTo(2);
            Path last = recordings.stream().max(java.util.Comparator.comparingLong(p -> p.toFile().lastModified()))
                    .orElseThrow();
            assertDecodesFromKeyFrame(last, -1);
        }
    }

    @Test
    void secondPublisherOnTheSameKeyGetsAClearRefusalWithTheKeyMasked() throws Exception {
        List<FlvTag> clip = FlvFiles.clipTags();
        try (LogCapture logs = new LogCapture();
                NginxRtmp nginx = NginxRtmp.start();
                RtmpRoutes first = new RtmpRoutes(nginx.url(KEY))) {
            first.feedLive(clip.subList(0, 20), 0);
            first.status.awaitState(RtmpPublisherState.STREAMING, Duration.ofSeconds(10));
            try (RtmpRoutes second = new RtmpRoutes(nginx.url(KEY))) {
                RtmpPublisherStats refused = second.status.awaitState(RtmpPublisherState.ERROR, Duration.ofSeconds(10));
                assertThat(refused.lastError()).isEqualTo("server rejected publish (NetStream.Publish.BadName: "
                        + "Already publishing): another encoder is using stream key ****, or the key is not valid "
                        + "on this server")
                        .doesNotContain(KEY);
            }
            assertThat(logs.text()).contains("server rejected publish").doesNotContain(KEY);
        }
    }

    /** Waits until streaming with nothing queued, stops the route and returns the final counters. */
    static RtmpPublisherStats awaitDrained(RtmpRoutes routes) {
        routes.status.awaitState(RtmpPublisherState.STREAMING, Duration.ofSeconds(10));
        sleep(500); // a snapshot taken after the last offer
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> routes.status.latest().queuedBytes() == 0);
        routes.close();
        RtmpPublisherStats last = routes.status.latest();
        assertThat(last.state()).isEqualTo(RtmpPublisherState.STOPPED);
        return last;
    }

    static void assertDecodesFromKeyFrame(Path file, int videoFrames) {
        assertThat(FfProbe.decodeErrors(file)).isEmpty();
        FfProbe.Stream video = FfProbe.stream(file, "video");
        assertThat(video.codecName()).isEqualTo("h264");
        if (videoFrames >= 0) {
            assertThat(video.frames()).isEqualTo(videoFrames);
        } else {
            assertThat(video.frames()).isPositive();
        }
        assertThat(FfProbe.stream(file, "audio").codecName()).isEqualTo("aac");
        FfProbe.Packet firstVideo = FfProbe.packets(file).stream().filter(p -> p.codecType().equals("video"))
                .findFirst().orElseThrow();
        assertThat(firstVideo.key()).as("first video packet is a key frame").isTrue();
    }

    static long mediaFrames(List<FlvTag> clip) {
        return clip.stream().filter(t -> t.type() != FlvTagType.SCRIPT && !t.sequenceHeader()).count();
    }

    static long audioBeforeFirstKeyFrame(List<FlvTag> clip) {
        long key = clip.stream().filter(t -> t.type() == FlvTagType.VIDEO && t.keyFrame() && !t.sequenceHeader())
                .findFirst().orElseThrow().timestamp();
        return clip.stream().filter(t -> t.type() == FlvTagType.AUDIO && !t.sequenceHeader() && t.timestamp() < key)
                .count();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
