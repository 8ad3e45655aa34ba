package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.support.MediaHeaders;
import io.camrelay.media.AccessUnits;
import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.media.GenericByteData;
import io.camrelay.media.GenericByteDataException;
import io.camrelay.media.VideoCodec;
import io.camrelay.media.VideoFormat;
import io.camrelay.testing.TestClips;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The four stream-route processors on single exchanges, without a route. */
class MediaProcessorsTest {

    private static final long T0 = 1_763_700_000_000L;
    private static final String CAMERA = "638bc8f1-cf28-4329-b8e6-5bba37bdb48f";

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    private Exchange exchange(Object body) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(MediaHeaders.CAMERA_ID, CAMERA);
        return exchange;
    }

    @Test
    void stripHeaderLeavesThePictureAndSetsTheHeaderFields() throws Exception {
        byte[] payload = {0, 0, 0, 1, 0x65, 0x11};
        Exchange exchange = exchange(GenericByteData.encode(0x0A, 513, true, T0, T0 + 40, payload));
        new StripHeaderProcessor().process(exchange);
        assertThat(exchange.getMessage().getBody(byte[].class)).containsExactly(payload);
        assertThat(exchange.getMessage().getHeaders()).containsEntry(MediaHeaders.CODEC, VideoCodec.H264)
                .containsEntry(MediaHeaders.CODEC_ID, 0x0A).containsEntry(MediaHeaders.KEY_FRAME, true)
                .containsEntry(MediaHeaders.PICTURE_TIME, T0 + 40)
                .containsEntry(MediaHeaders.SYNC_TIME, T0).containsEntry(MediaHeaders.SEQUENCE, 513);
    }

    @Test
    void stripHeaderIgnoresBytesAfterTheDeclaredLength() throws Exception {
        byte[] packet = GenericByteData.encode(0x0A, 1, false, T0, T0, new byte[] {7, 8});
        byte[] padded = java.util.Arrays.copyOf(packet, packet.length + 3);
        Exchange exchange = exchange(padded);
        new StripHeaderProcessor().process(exchange);
        assertThat(exchange.getMessage().getBody(byte[].class)).containsExactly(7, 8);
    }

    @Test
    void stripHeaderRefusesAMalformedPacket() {
        assertThatThrownBy(() -> new StripHeaderProcessor().process(exchange(new byte[10])))
                .isInstanceOf(GenericByteDataException.class);
    }

    private Exchange withCodec(int codecId) {
        Exchange exchange = exchange(new byte[0]);
        exchange.getMessage().setHeader(MediaHeaders.CODEC_ID, codecId);
        return exchange;
    }

    @Test
    void codecValidationLetsH264PassUnchanged() {
        Exchange exchange = withCodec(0x0A);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        assertThatCode(() -> new CodecValidationProcessor().process(exchange)).doesNotThrowAnyException();
        assertThat(exchange.getMessage().getBody()).isSameAs(body);
        assertThat(exchange.getException()).isNull();
    }

    @Test
    void codecValidationRefusesH265NamingCameraCodecAndFix() {
        CodecValidationProcessor validation = new CodecValidationProcessor("Lobby");
        assertThatThrownBy(() -> validation.process(withCodec(0x0E))).isInstanceOf(UnsupportedCodecException.class)
                .hasMessage("camera 'Lobby' (" + CAMERA + ") sends H.265, which YouTube, Twitch and Facebook do "
                        + "not accept over RTMP: set the camera's stream to H.264 in the Management Client")
                .satisfies(e -> assertThat(((UnsupportedCodecException) e).codec()).isEqualTo(VideoCodec.H265));
    }

    @Test
    void codecValidationExplainsJpegMpeg4AndUnknownCodecs() {
        CodecValidationProcessor validation = new CodecValidationProcessor();
        assertThatThrownBy(() -> validation.process(withCodec(0x01))).hasMessage("camera " + CAMERA
                + " sends JPEG pictures, which RTMP cannot carry and CamRelay does not transcode: set the camera's "
                + "stream to H.264 in the Management Client (or pick a stream of the camera that is H.264)");
        assertThatThrownBy(() -> validation.process(withCodec(0x05))).hasMessageStartingWith("camera " + CAMERA
                + " sends MPEG-4, which RTMP destinations do not accept")
                .hasMessageContaining("set the camera's stream to H.264 in the Management Client");
        assertThatThrownBy(() -> validation.process(withCodec(0x42)))
                .hasMessageContaining("sends an unknown codec (GenericByteData codec id 0x0042), expected H.264")
                .hasMessageContaining("update the device pack");
    }

    @Test
    void taggingEmitsMetadataThenSequenceHeaderThenPictureAndSetsTheTimeline() throws Exception {
        List<byte[]> units = AccessUnits.split(TestClips.bytes(TestClips.BASELINE), VideoCodec.H264);
        FlvTaggingProcessor tagging = new FlvTaggingProcessor();
        Exchange first = exchange(units.get(0));
        first.getMessage().setHeader(MediaHeaders.PICTURE_TIME, T0);
        tagging.process(first);
        List<?> tags = first.getMessage().getBody(List.class);
        assertThat(tags).extracting(t -> ((FlvTag) t).type()).containsExactly(FlvTagType.SCRIPT, FlvTagType.VIDEO,
                FlvTagType.VIDEO);
        assertThat(((FlvTag) tags.get(1)).sequenceHeader()).isTrue();
        VideoFormat format = first.getMessage().getHeader(MediaHeaders.VIDEO_FORMAT, VideoFormat.class);
        assertThat(format.width()).isEqualTo(640);
        assertThat(format.codec()).isEqualTo(VideoCodec.H264);

        Exchange second = exchange(units.get(1));
        second.getMessage().setHeader(MediaHeaders.PICTURE_TIME, T0 + 40);
        tagging.process(second);
        assertThat(second.getMessage().getBody(List.class)).hasSize(1);
        assertThat(second.getMessage().getHeader(MediaHeaders.TIMELINE_MS)).isEqualTo(40L);
        assertThat(second.getMessage().getHeader(MediaHeaders.VIDEO_FORMAT)).as("only with a new sequence header")
                .isNull();
    }

    @Test
    void taggingPutsEveryPictureOnTheTimelineWithKeyFramesWhereTheCameraSentThem() throws Exception {
        List<byte[]> units = AccessUnits.split(TestClips.bytes(TestClips.BASELINE), VideoCodec.H264);
        FlvTaggingProcessor tagging = new FlvTaggingProcessor();
        List<Long> keyFrames = new java.util.ArrayList<>();
        int pictures = 0;
        for (int i = 0; i < units.size(); i++) {
            Exchange exchange = exchange(units.get(i));
            exchange.getMessage().setHeader(MediaHeaders.PICTURE_TIME, T0 + 40L * i);
            tagging.process(exchange);
            for (Object o : exchange.getMessage().getBody(List.class)) {
                FlvTag tag = (FlvTag) o;
                if (tag.type() == FlvTagType.VIDEO && !tag.sequenceHeader()) {
                    pictures++;
                    if (tag.keyFrame()) {
                        keyFrames.add(tag.timestamp());
                    }
                }
            }
        }
        assertThat(pictures).as("none dropped").isEqualTo(units.size());
        assertThat(keyFrames).startsWith(0L, 2000L); // -g 50 at 25 fps
    }

    @Test
    void taggingRefusesACodecItCannotPutIntoFlvNamingTheFix() {
        Exchange exchange = exchange(new byte[] {0, 0, 1, 0x40, 1});
        exchange.getMessage().setHeader(MediaHeaders.CODEC, VideoCodec.H265);
        exchange.getMessage().setHeader(MediaHeaders.PICTURE_TIME, T0);
        assertThatThrownBy(() -> new FlvTaggingProcessor().process(exchange))
                .isInstanceOf(UnsupportedCodecException.class).hasMessageContaining("sends H.265")
                .hasMessageContaining("set the camera's stream to H.264");
    }

    @Test
    void taggingWithoutPictureTimeSaysWhichStepIsMissing() {
        FlvTaggingProcessor tagging = new FlvTaggingProcessor();
        assertThatThrownBy(() -> tagging.process(exchange(new byte[4]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("StripHeaderProcessor");
    }

    @Test
    void silentAudioAddsConfigAndFramesToTheTagList() throws Exception {
        SilentAudioProcessor audio = new SilentAudioProcessor();
        Exchange exchange = exchange(List.of(FlvTag.video(0, true, true, false, new byte[] {0x17, 0}),
                FlvTag.video(50, true, false, false, new byte[] {0x17, 1})));
        audio.process(exchange);
        List<?> out = exchange.getMessage().getBody(List.class);
        // config, then frames at 0, 21 and 43 ms, all due before the picture at 50 ms
        assertThat(out).extracting(t -> ((FlvTag) t).type()).containsExactly(FlvTagType.VIDEO, FlvTagType.AUDIO,
                FlvTagType.AUDIO, FlvTagType.AUDIO, FlvTagType.AUDIO, FlvTagType.VIDEO);
        assertThat(audio.framesEmitted()).isEqualTo(3);
    }

    @Test
    void silentAudioRefusesABodyThatIsNotATagList() {
        assertThatThrownBy(() -> new SilentAudioProcessor().process(exchange(List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("List<FlvTag>");
    }
}
