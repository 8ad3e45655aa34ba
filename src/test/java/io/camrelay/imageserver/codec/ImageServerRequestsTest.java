package io.camrelay.imageserver.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageServerRequestsTest {

    @Test
    void connectAsksForGenericByteDataWithEscapedConnectParam() {
        String connect = ImageServerRequests.connect(0, "CAM", "STREAM", "TOKEN#a&b#host//ServerConnector#");

        assertThat(connect).endsWith("\r\n\r\n").doesNotContain("\r\n\r\n<").contains(
                "<alwaysstdjpeg>no</alwaysstdjpeg>", "<username>a</username><password>a</password>",
                "<connectparam>id=CAM&amp;streamid=STREAM&amp;connectiontoken=TOKEN#a&amp;b#host//ServerConnector#"
                        + "</connectparam>");
        XmlMessage parsed = decode(connect);
        assertThat(parsed.methodName()).isEqualTo("connect");
        assertThat(ImageServerRequests.parseConnectParam(parsed.field("connectparam").orElseThrow()))
                .containsEntry("id", "CAM").containsEntry("streamid", "STREAM");
    }

    @Test
    void connectWithoutStreamIdAsksForTheDefaultLiveStream() {
        assertThat(ImageServerRequests.connect(0, "CAM", null, "T")).contains(
                "<connectparam>id=CAM&amp;connectiontoken=T</connectparam>");
    }

    @Test
    void liveDisablesInitialImageAndAdaptiveStreaming() {
        String live = ImageServerRequests.live(1);

        assertThat(live).contains("<sendinitialimage>no</sendinitialimage>",
                "<adaptivestreaming><disabled/></adaptivestreaming>");
        assertThat(decode(live).methodName()).isEqualTo("live");
    }

    @Test
    void connectUpdateCarriesTheNewToken() {
        XmlMessage parsed = decode(ImageServerRequests.connectUpdate(5, "CAM", "NEW"));

        assertThat(parsed.methodName()).isEqualTo("connectupdate");
        assertThat(parsed.field("connectparam")).contains("id=CAM&connectiontoken=NEW");
    }

    private static XmlMessage decode(String request) {
        EmbeddedChannel channel = new EmbeddedChannel(new ImageServerDecoder(ImageServerLimits.DEFAULTS));
        channel.writeInbound(Unpooled.wrappedBuffer(request.getBytes(StandardCharsets.UTF_8)));
        XmlMessage message = channel.readInbound();
        assertThat(channel.finish()).isFalse();
        return message;
    }
}
