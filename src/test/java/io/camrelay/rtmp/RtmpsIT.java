package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.FlvTag;
import io.camrelay.rtmp.client.RtmpPublisherState;
import io.camrelay.rtmp.client.RtmpPublisherStats;
import io.camrelay.testing.FlvFiles;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.Stunnel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RTMPS: RTMP inside TLS, through stunnel (self-signed certificate) to nginx-rtmp. */
class RtmpsIT {

    @Test
    void selfSignedServerIsRefusedWithAClearTlsErrorWhileVerificationIsOn() throws Exception {
        try (NginxRtmp nginx = NginxRtmp.start();
                Stunnel tls = Stunnel.start(nginx.port());
                RtmpRoutes routes = new RtmpRoutes("rtmps://127.0.0.1:" + tls.port() + "/live/tls-secret")) {
            routes.send(FlvFiles.clipTags().get(0));

            RtmpPublisherStats refused = routes.status.awaitState(RtmpPublisherState.ERROR, Duration.ofSeconds(15));

            assertThat(refused.lastError()).startsWith("TLS handshake with 127.0.0.1:" + tls.port() + " failed (")
                    .contains("set allowUntrustedCertificates=true for this destination").doesNotContain("tls-secret");
            assertThat(nginx.recordings()).isEmpty();
        }
    }

    @Test
    void selfSignedServerWorksWhenUntrustedCertificatesAreAllowed() throws Exception {
        // one GOP proves TLS carries the publish: the full clip re-proves RtmpPublishIT at real-time pace
        List<FlvTag> clip = FlvFiles.clipTags().stream().filter(t -> t.timestamp() < 2000).toList();
        long videoFrames = clip.stream().filter(t -> t.type() == io.camrelay.media.FlvTagType.VIDEO
                && !t.sequenceHeader()).count();
        try (NginxRtmp nginx = NginxRtmp.start();
                Stunnel tls = Stunnel.start(nginx.port())) {
            RtmpPublisherStats end;
            try (RtmpRoutes routes = new RtmpRoutes("rtmps://127.0.0.1:" + tls.port()
                    + "/live/tls-secret?allowUntrustedCertificates=true")) {
                routes.feedLive(clip, 0);
                end = RtmpPublishIT.awaitDrained(routes);
            }
            assertThat(end.reconnects()).isZero();
            assertThat(nginx.recordings()).hasSize(1);
            RtmpPublishIT.assertDecodesFromKeyFrame(nginx.recordings().get(0), (int) videoFrames);
        }
    }
}
