package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.rtmp.client.RtmpPublisherState;
import io.camrelay.rtmp.client.RtmpPublisherStats;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.FlvFiles;
import io.camrelay.testing.NginxRtmp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Publishing through a Camel route to the real nginx-rtmp, which records what arrived. */
class RtmpPublishIT {

    @Test
    void clipPublishedThroughRouteIsRecordedCompleteAndDecodes() throws Exception {
        List<FlvTag> clip = FlvFiles.clipTags();
        try (NginxRtmp nginx = NginxRtmp.start()) {
            RtmpPublisherStats end;
            try (RtmpRoutes routes = new RtmpRoutes(nginx.url("cam1"))) {
                routes.feedLive(clip, 0);
                routes.status.awaitState(RtmpPublisherState.STREAMING, Duration.ofSeconds(5));
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                        .until(() -> routes.status.latest().queuedBytes() == 0);
                end = routes.status.latest();
            }
            // A publish starts at the key frame: only audio stamped before it is left out.
            assertThat(end.framesDropped()).isEqualTo(audioBeforeFirstKeyFrame(clip));
            assertThat(end.reconnects()).isZero();
            List<Path> recordings = nginx.recordings();
            assertThat(recordings).hasSize(1);
            Path rec = recordings.get(0);
            assertThat(FfProbe.decodeErrors(rec)).isEmpty();
            FfProbe.Stream video = FfProbe.stream(rec, "video");
            assertThat(video.codecName()).isEqualTo("h264");
            assertThat(video.frames()).isEqualTo(FlvFiles.CLIP_VIDEO_FRAMES);
            assertThat(FfProbe.stream(rec, "audio").codecName()).isEqualTo("aac");
            List<FfProbe.Packet> packets = FfProbe.packets(rec);
            FfProbe.Packet firstVideo = packets.stream().filter(p -> p.codecType().equals("video")).findFirst()
                    .orElseThrow();
            assertThat(firstVideo.key()).isTrue();
            assertThat(firstVideo.dtsMs()).isLessThan(100);
            long audioFrames = clip.stream().filter(t -> t.type() == FlvTagType.AUDIO && !t.sequenceHeader()).count();
            assertThat(end.framesSent())
                    .isEqualTo(FlvFiles.CLIP_VIDEO_FRAMES + audioFrames - audioBeforeFirstKeyFrame(clip));
        }
    }

    static long audioBeforeFirstKeyFrame(List<FlvTag> clip) {
        long key = clip.stream().filter(t -> t.type() == FlvTagType.VIDEO && t.keyFrame() && !t.sequenceHeader())
                .findFirst().orElseThrow().timestamp();
        return clip.stream().filter(t -> t.type() == FlvTagType.AUDIO && !t.sequenceHeader() && t.timestamp() < key)
                .count();
    }
}
