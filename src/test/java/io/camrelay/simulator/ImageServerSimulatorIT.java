package io.camrelay.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.imageserver.codec.ImageServerRequests;
import io.camrelay.media.GenericByteData;
import io.camrelay.media.VideoCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated ImageServer's wire format, read byte by byte from a plain socket (docs/protocols.md §1.2–1.5). */
class ImageServerSimulatorIT {

    private static final String CAM = "66666666-ffff-4000-8000-000000000006";
    private static final String GOOD = "TOKEN#good#sim//ServerConnector#";
    private final Map<String, SimulatedCamera> cameras = Map.of(CAM,
            new SimulatedCamera(CAM, "Wire", SimulatorClip.H264_BASELINE, "s"));
    private ImageServerSimulator simulator;
    private Socket socket;
    private InputStream in;

    @BeforeEach
    void start() throws IOException {
        simulator = new ImageServerSimulator(new ImageServerBackend() {
            @Override
            public Optional<SimulatedCamera> camera(String cameraId) {
                return Optional.ofNullable(cameras.get(cameraId));
            }

            @Override
            public boolean tokenValid(String vmsToken) {
                return Set.of(GOOD).contains(vmsToken);
            }
        });
        simulator.start("127.0.0.1", 0);
        socket = new Socket(InetAddress.getLoopbackAddress(), simulator.port());
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
    }

    @AfterEach
    void stop() throws IOException {
        socket.close();
        simulator.close();
    }

    @Test
    void refusesAnUnknownCameraWithUnknownDevice() throws IOException {
        send(ImageServerRequests.connect(0, "no-such-camera", null, GOOD));

        assertThat(readBlock()).contains("<methodname>connect</methodname><connected>no</connected>"
                + "<errorreason>Unknown device</errorreason>");
    }

    @Test
    void refusesAnInvalidTokenWithSecurityTokenInvalid() throws IOException {
        send(ImageServerRequests.connect(0, CAM, null, "TOKEN#expired#"));

        assertThat(readBlock()).contains("<connected>no</connected><errorreason>Security token invalid</errorreason>");
    }

    @Test
    void refusesTheNextConnectAfterAWrongTokenFaultOnly() throws IOException {
        simulator.inject(CAM, Fault.WRONG_TOKEN);
        send(ImageServerRequests.connect(0, CAM, null, GOOD));
        assertThat(readBlock()).contains("<errorreason>Security token invalid</errorreason>");

        send(ImageServerRequests.connect(1, CAM, null, GOOD));

        assertThat(readBlock()).contains("<requestid>1</requestid><methodname>connect</methodname>"
                + "<connected>yes</connected>");
    }

    @Test
    void liveSendsImageResponsesWithTheHeadersOfTheSpecAndGenericByteDataBodies() throws IOException {
        send(ImageServerRequests.connect(0, CAM, "s", GOOD));
        assertThat(readBlock()).contains("<connected>yes</connected>");

        send(ImageServerRequests.live(1));

        List<GenericByteData> pictures = new ArrayList<>();
        boolean livePackage = false;
        while (pictures.size() < 3) {
            String block = readBlock();
            if (block.startsWith("<")) {
                livePackage |= block.contains("<livepackage><status><statustime>");
                continue;
            }
            String[] lines = block.split("\r\n");
            assertThat(lines[0]).isEqualTo("ImageResponse");
            assertThat(lines[1]).isEqualTo("RequestId: 1");
            assertThat(lines[2]).startsWith("Prev: ");
            assertThat(lines[3]).startsWith("Current: ");
            assertThat(lines[4]).startsWith("Next: ");
            assertThat(lines[5]).isEqualTo("PrivacyMask: none");
            assertThat(lines[6]).startsWith("Content-length: ");
            assertThat(lines[7]).isEqualTo("Content-type: application/x-genericbytedata-octet-stream");
            byte[] body = in.readNBytes(Integer.parseInt(lines[6].substring("Content-length: ".length())));
            assertThat(in.readNBytes(4)).isEqualTo("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            GenericByteData header = GenericByteData.parse(body);
            assertThat(header.totalLength()).isEqualTo(body.length);
            assertThat(header.pictureTimestamp()).isEqualTo(Long.parseLong(lines[3].substring("Current: ".length())));
            pictures.add(header);
        }
        assertThat(livePackage).as("a livepackage right after live").isTrue();
        assertThat(pictures).extracting(GenericByteData::codec).containsOnly(VideoCodec.H264);
        assertThat(pictures).extracting(GenericByteData::sequence).containsExactly(0, 1, 2);
        assertThat(pictures.get(0).keyFrame()).isTrue();
        assertThat(pictures.get(1).pictureTimestamp() - pictures.get(0).pictureTimestamp()).isEqualTo(40);
    }

    @Test
    void alwaysStdJpegYesGetsJpegPictures() throws IOException {
        send(ImageServerRequests.connect(0, CAM, null, GOOD).replace("<alwaysstdjpeg>no", "<alwaysstdjpeg>yes"));
        assertThat(readBlock()).contains("<connected>yes</connected>");

        send(ImageServerRequests.live(1));

        String block = readBlock();
        while (block.startsWith("<")) {
            block = readBlock();
        }
        assertThat(block).contains("Content-type: image/jpeg");
        byte[] body = in.readNBytes(Integer.parseInt(block.replaceAll("(?s).*Content-length: (\\d+).*", "$1")));
        assertThat(body[0] & 0xFF).isEqualTo(0xFF);
        assertThat(body[1] & 0xFF).isEqualTo(0xD8);
    }

    @Test
    void connectUpdateWithAValidTokenIsAccepted() throws IOException {
        send(ImageServerRequests.connect(0, CAM, null, GOOD));
        readBlock();

        send(ImageServerRequests.connectUpdate(1, CAM, GOOD));

        assertThat(readBlock()).contains("<methodname>connectupdate</methodname><connected>yes</connected>");
        assertThat(simulator.acceptedConnectUpdates(CAM)).isEqualTo(1);
    }

    private void send(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Reads up to and without the next CR LF CR LF. */
    private String readBlock() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("simulator closed the connection after: " + out);
            }
            out.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        byte[] bytes = out.toByteArray();
        return new String(bytes, 0, bytes.length - 4, StandardCharsets.UTF_8);
    }
}
