package io.camrelay.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.support.MediaHeaders;
import io.camrelay.media.AccessUnits;
import io.camrelay.media.AnnexB;
import io.camrelay.media.GenericByteData;
import io.camrelay.media.VideoCodec;
import io.camrelay.rtmp.client.RtmpPublisherState;
import io.camrelay.rtmp.client.RtmpPublisherStats;
import io.camrelay.streams.CodecValidationProcessor;
import io.camrelay.streams.FlvTaggingProcessor;
import io.camrelay.streams.SilentAudioProcessor;
import io.camrelay.streams.StripHeaderProcessor;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.NginxRtmp;
import io.camrelay.testing.TestClips;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Encoder output as a recorder sends it (one GenericByteData packet per picture, camera timestamps) through the
 * foundation's four processors and the {@code rtmp:} producer to a real nginx-rtmp; nginx's recording must decode with
 * every picture, the silent AAC track, and (for the B-frame clip) composition times intact.
 */
class FoundationPathPublishIT {

    private static final long T0 = 1_763_700_000_000L;
    private static final long INTERVAL_MS = 40;

    @ParameterizedTest
    @ValueSource(strings = {"baseline", "bframes"})
    void cameraPicturesPublishedThroughTheProcessorsArriveDecodableAtNginx(String which) throws Exception {
        TestClips.Clip clip = which.equals("bframes") ? TestClips.HIGH_BFRAMES : TestClips.BASELINE;
        List<byte[]> pictures = AccessUnits.split(TestClips.bytes(clip), VideoCodec.H264);
        StatusRecorder status = new StatusRecorder();
        try (NginxRtmp nginx = NginxRtmp.start()) {
            CamelContext context = new DefaultCamelContext();
            context.getRegistry().bind("status", status);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:camera").routeId("stream-" + which)
                            .process(new StripHeaderProcessor())
                            .process(new CodecValidationProcessor("Lobby"))
                            .process(new FlvTaggingProcessor())
                            .process(new SilentAudioProcessor())
                            .to(nginx.url("camera-" + which) + "?publisherListener=#status&statusInterval=200");
                }
            });
            context.start();
            try {
                ProducerTemplate template = context.createProducerTemplate();
                long start = System.nanoTime();
                long syncTime = T0;
                for (int i = 0; i < pictures.size(); i++) {
                    byte[] unit = pictures.get(i);
                    boolean sync = AnnexB.nalUnits(unit).stream().anyMatch(nal -> (nal[0] & 0x1F) == 5);
                    long pictureTime = T0 + INTERVAL_MS * i;
                    syncTime = sync ? pictureTime : syncTime;
                    // a camera delivers pictures in real time; the producer's queue is bounded in media time
                    long wait = start + INTERVAL_MS * i * 1_000_000L - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000L);
                    }
                    template.sendBodyAndHeader("direct:camera",
                            GenericByteData.encode(VideoCodec.H264.id(), i, sync, syncTime, pictureTime, unit),
                            MediaHeaders.CAMERA_ID, "638bc8f1-cf28-4329-b8e6-5bba37bdb48f");
                }
                status.awaitState(RtmpPublisherState.STREAMING, Duration.ofSeconds(10));
                Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> status.latest().queuedBytes() == 0);
            } finally {
                context.stop();
            }
            RtmpPublisherStats end = status.latest();
            assertThat(end.framesDropped()).as("frames dropped").isZero();
            assertThat(end.reconnects()).as("reconnects").isZero();

            assertThat(nginx.recordings()).hasSize(1);
            Path recording = nginx.recordings().get(0);
            assertThat(FfProbe.decodeErrors(recording)).isEmpty();
            FfProbe.Stream video = FfProbe.stream(recording, "video");
            assertThat(video.codecName()).isEqualTo("h264");
            assertThat(video.width()).isEqualTo(clip.width());
            assertThat(video.height()).isEqualTo(clip.height());
            assertThat(video.frames()).as("pictures recorded").isEqualTo(pictures.size());
            FfProbe.Stream audio = FfProbe.stream(recording, "audio");
            assertThat(audio.codecName()).isEqualTo("aac");
            assertThat(audio.sampleRate()).isEqualTo(48_000);

            List<FfProbe.Packet> packets = FfProbe.packets(recording).stream()
                    .filter(p -> p.codecType().equals("video")).toList();
            assertThat(packets.get(0).key()).as("first picture is a key frame").isTrue();
            List<Long> dts = packets.stream().map(FfProbe.Packet::dtsMs).toList();
            assertThat(dts).isSorted().doesNotHaveDuplicates();
            List<Long> pts = new ArrayList<>(packets.stream().map(FfProbe.Packet::ptsMs).toList());
            if (clip == TestClips.HIGH_BFRAMES) {
                assertThat(packets).as("reordered pictures keep their composition time over RTMP")
                        .anySatisfy(p -> assertThat(p.ptsMs()).isGreaterThan(p.dtsMs()));
            } else {
                assertThat(packets).allSatisfy(p -> assertThat(p.ptsMs()).isEqualTo(p.dtsMs()));
            }
            pts.sort(null);
            for (int i = 1; i < pts.size(); i++) {
                assertThat(pts.get(i) - pts.get(i - 1)).as("display slot %d", i).isEqualTo(INTERVAL_MS);
            }
        }
    }
}
