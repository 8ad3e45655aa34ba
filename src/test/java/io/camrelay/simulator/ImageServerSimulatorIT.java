package io.camrelay.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.imageserver.codec.ImageServerRequests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated ImageServer on a plain socket, spoken to with the reference's own request texts
 * ({@code xprotect-protocols.md} §1.2–1.5, §1.7, §2.1) and its answers read byte by byte here — not with CamRelay's
 * codec, which would read the simulator's mistakes the same way it makes its own.
 */
class ImageServerSimulatorIT {

    private static final String GOOD = "TOKEN#good#sim//ServerConnector#";
    /** The camera of each recorder behaviour under test. */
    private static final String REAL = "66666666-ffff-4000-8000-000000000001";
    private static final String EVEN = "66666666-ffff-4000-8000-000000000002";
    private static final String BFRAMES = "66666666-ffff-4000-8000-000000000003";
    private static final String BFRAMES_EVEN = "66666666-ffff-4000-8000-000000000004";
    private static final String BEHIND = "66666666-ffff-4000-8000-000000000005";
    private static final String MASKED = "66666666-ffff-4000-8000-000000000006";
    private static final long HOUR_MS = 3_600_000;
    private static final long GOP_MS = 2000;
    private static final long INTERVAL_MS = 40;
    private static final Pattern HEADER = Pattern.compile("^([A-Za-z-]+): (.*)$");

    private final Map<String, SimulatedCamera> cameras = new HashMap<>();
    private ImageServerSimulator simulator;
    private Socket socket;
    private InputStream in;

    /** One ImageResponse as it came off the wire. */
    private record Response(Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }

        long current() {
            return Long.parseLong(header("Current"));
        }

        /** GenericByteData header field at {@code offset} (§2.1, big-endian). */
        long field(int offset, int size) {
            ByteBuffer b = ByteBuffer.wrap(body);
            return switch (size) {
                case 2 -> b.getShort(offset) & 0xFFFF;
                case 4 -> b.getInt(offset) & 0xFFFFFFFFL;
                default -> b.getLong(offset);
            };
        }

        boolean sync() {
            return (field(10, 2) & 1) != 0;
        }

        long pictureTime() {
            return field(20, 8);
        }
    }

    @BeforeEach
    void start() throws IOException {
        RecorderBehaviour even = RecorderBehaviour.REAL.withPreBufferedGop(false).withBurstyStamps(false);
        add(new SimulatedCamera(REAL, "Real", SimulatorClip.H264_BASELINE, "s"));
        add(new SimulatedCamera(EVEN, "Even", SimulatorClip.H264_BASELINE, "s", even));
        add(new SimulatedCamera(BFRAMES, "B", SimulatorClip.H264_BFRAMES, "s",
                RecorderBehaviour.REAL.withPreBufferedGop(false)));
        add(new SimulatedCamera(BFRAMES_EVEN, "B even", SimulatorClip.H264_BFRAMES, "s", even));
        add(new SimulatedCamera(BEHIND, "Behind", SimulatorClip.H264_BASELINE, "s",
                even.withClockOffset(Duration.ofHours(-1)).withLivePackageInterval(Duration.ofSeconds(1))));
        add(new SimulatedCamera(MASKED, "Masked", SimulatorClip.H264_BASELINE, "s", even.withPrivacyMask(true)));
        simulator = new ImageServerSimulator(new ImageServerBackend() {
            @Override
            public Optional<SimulatedCamera> camera(String cameraId) {
                return Optional.ofNullable(cameras.get(cameraId));
            }

            @Override
            public boolean tokenValid(String vmsToken) {
                return GOOD.equals(vmsToken);
            }
        });
        simulator.start("127.0.0.1", 0);
        socket = new Socket(InetAddress.getLoopbackAddress(), simulator.port());
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
    }

    private void add(SimulatedCamera camera) {
        cameras.put(camera.id(), camera);
    }

    @AfterEach
    void stop() throws IOException {
        socket.close();
        simulator.close();
    }

    /** The connect of the reference (§1.2), word for word but for its values. */
    private static String connect(int requestId, String camera, String token) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodcall><requestid>" + requestId + "</requestid>"
                + "<methodname>connect</methodname><username>a</username><password>a</password><cameraid>" + camera
                + "</cameraid><alwaysstdjpeg>no</alwaysstdjpeg><connectparam>id=" + camera
                + "&amp;streamid=s&amp;connectiontoken=" + token + "</connectparam></methodcall>\r\n\r\n";
    }

    /** The live of the reference (§1.3) with the passthrough options T1 sends. */
    private static String live(int requestId) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><methodcall><requestid>" + requestId + "</requestid>"
                + "<methodname>live</methodname><compressionrate>90</compressionrate>"
                + "<sendinitialimage>no</sendinitialimage></methodcall>\r\n\r\n";
    }

    @Test
    void refusesAnUnknownCameraWithUnknownDevice() throws IOException {
        send(connect(0, "no-such-camera", GOOD));

        assertThat(readBlock()).contains("<methodname>connect</methodname><connected>no</connected>"
                + "<errorreason>Unknown device</errorreason>");
    }

    @Test
    void refusesAnInvalidTokenWithSecurityTokenInvalid() throws IOException {
        send(connect(0, EVEN, "TOKEN#expired#"));

        assertThat(readBlock()).contains("<connected>no</connected><errorreason>Security token invalid</errorreason>");
    }

    @Test
    void refusesTheNextConnectAfterAWrongTokenFaultOnly() throws IOException {
        simulator.inject(EVEN, Fault.WRONG_TOKEN);
        send(connect(0, EVEN, GOOD));
        assertThat(readBlock()).contains("<errorreason>Security token invalid</errorreason>");

        send(connect(1, EVEN, GOOD));

        assertThat(readBlock()).contains("<requestid>1</requestid><methodname>connect</methodname>"
                + "<connected>yes</connected>");
    }

    @Test
    void liveSendsImageResponsesWithTheHeadersOfTheReferenceAndGenericByteDataBodies() throws IOException {
        startLive(EVEN);

        List<String> heads = new ArrayList<>();
        List<Response> pictures = pictures(3, heads);

        assertThat(heads.get(0).split("\r\n")).containsExactly("ImageResponse", "RequestId: 1",
                "Prev: " + (pictures.get(0).current() - INTERVAL_MS), "Current: " + pictures.get(0).current(),
                "Next: " + (pictures.get(0).current() + INTERVAL_MS), "PrivacyMask: none",
                "Content-length: " + pictures.get(0).body().length,
                "Content-type: application/x-genericbytedata-octet-stream");
        for (int i = 0; i < 3; i++) {
            Response p = pictures.get(i);
            assertThat(p.field(0, 2)).as("data type: video stream packet").isEqualTo(0x0010);
            assertThat(p.field(2, 4)).as("total length, header included").isEqualTo(p.body().length);
            assertThat(p.field(6, 2)).as("codec H.264").isEqualTo(0x000A);
            assertThat(p.field(8, 2)).as("sequence, from 65436 (docs/simulator.md)").isEqualTo(65_436 + i);
            assertThat(p.pictureTime()).isEqualTo(p.current());
            assertThat(p.field(28, 4)).as("reserved").isZero();
            assertThat(p.body()[32]).as("Annex B after the 32-byte header").isZero();
        }
        assertThat(pictures.get(0).sync()).isTrue();
        assertThat(pictures.get(0).field(12, 8)).as("sync time of a key frame").isEqualTo(pictures.get(0).current());
        assertThat(pictures.get(1).current() - pictures.get(0).current()).isEqualTo(INTERVAL_MS);
    }

    @Test
    void liveStartsWithThePreBufferedGopWhosePictureTimesAreUpToAGopInThePast() throws IOException {
        startLive(REAL);
        long liveAt = System.currentTimeMillis();

        List<Response> pictures = pictures(1, new ArrayList<>());

        Response first = pictures.get(0);
        assertThat(first.sync()).as("the pre-buffered GOP starts at a key frame").isTrue();
        assertThat(first.current()).isBetween(liveAt - GOP_MS - 100, liveAt + 100);
        long buffered = (liveAt - first.current()) / INTERVAL_MS;
        long start = System.nanoTime();
        List<Response> gop = pictures((int) buffered, new ArrayList<>());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the buffered pictures come at once")
                .isLessThan(Duration.ofMillis(500));
        for (int i = 1; i < gop.size(); i++) {
            assertThat(gop.get(i).current() - gop.get(i - 1).current()).isEqualTo(INTERVAL_MS);
        }
    }

    @Test
    void bFramePicturesAreStampedInDecodeOrderWithTheirBurstyArrivalTimes() throws IOException {
        startLive(BFRAMES);

        List<Response> pictures = pictures(8, new ArrayList<>());

        // the clip's display order starts 0 2 1 4 3 7 5 6 (its .order file): each I/P arrives when it was captured,
        // its B-frames a millisecond apart right behind it
        long t0 = pictures.get(0).current();
        assertThat(pictures).extracting(p -> p.current() - t0).containsExactly(0L, 80L, 81L, 160L, 161L, 280L, 281L,
                282L);
    }

    @Test
    void withBurstyStampsOffEveryPictureIsOneFrameIntervalAfterTheLast() throws IOException {
        startLive(BFRAMES_EVEN);

        List<Response> pictures = pictures(8, new ArrayList<>());

        long t0 = pictures.get(0).current();
        assertThat(pictures).extracting(p -> p.current() - t0).containsExactly(0L, 40L, 80L, 120L, 160L, 200L, 240L,
                280L);
    }

    @Test
    void aPrivacyMaskSwitchedOnIsInEveryLaterResponse() throws IOException {
        startLive(EVEN);
        assertThat(pictures(2, new ArrayList<>())).allSatisfy(p -> assertThat(p.header("PrivacyMask"))
                .isEqualTo("none"));

        simulator.setPrivacyMask(EVEN, true);
        List<Response> later = pictures(10, new ArrayList<>());

        assertThat(later.subList(5, 10)).allSatisfy(p -> assertThat(p.header("PrivacyMask")).startsWith("grid;"));
        assertThat(simulator.maskedPicturesSent(EVEN)).isGreaterThanOrEqualTo(5);
        assertThat(simulator.unmaskedPicturesSent(EVEN)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aCameraMaskedFromTheStartHasTheMaskInItsFirstResponse() throws IOException {
        startLive(MASKED);

        assertThat(pictures(1, new ArrayList<>()).get(0).header("PrivacyMask")).startsWith("grid;");
        assertThat(simulator.unmaskedPicturesSent(MASKED)).isZero();
    }

    @Test
    void pictureTimesFollowTheRecordersClockWithItsOffsetAndSteps() throws IOException {
        startLive(BEHIND);
        long now = System.currentTimeMillis();
        Response first = pictures(1, new ArrayList<>()).get(0);
        assertThat(first.current()).isBetween(now - HOUR_MS - 1000, now - HOUR_MS + 1000);

        simulator.stepRecorderClock(BEHIND, Duration.ofSeconds(10));
        List<Response> later = pictures(10, new ArrayList<>());
        simulator.stepRecorderClock(BEHIND, Duration.ofSeconds(-30));
        List<Response> after = pictures(10, new ArrayList<>());

        assertThat(later.get(9).current() - first.current()).isBetween(10_000L, 11_000L);
        assertThat(after.get(9).current() - later.get(9).current()).isBetween(-30_000L, -29_000L);
    }

    @Test
    void livePackagesComeAtTheKeepaliveIntervalAndSayWhenTheCameraIsDisconnected() throws IOException {
        startLive(BEHIND);
        pictures(1, new ArrayList<>());

        simulator.setCameraConnected(BEHIND, false);
        List<String> documents = new ArrayList<>();
        long start = System.nanoTime();
        int picturesWhileDisconnected = 0;
        while (Duration.ofNanos(System.nanoTime() - start).toMillis() < 2500) {
            String block = readBlock();
            if (block.startsWith("<")) {
                if (block.contains("<statusitem id=\"5\" value=\"1\" />")) {
                    documents.add(block);
                }
                continue;
            }
            readResponse(block);
            if (!documents.isEmpty()) {
                picturesWhileDisconnected++; // pictures sent before the switch may still be on their way
            }
        }
        simulator.setCameraConnected(BEHIND, true);
        List<Response> resumed = pictures(1, new ArrayList<>());

        // one at once, then one a second (the keepalive interval of this camera) for 2.5 s and the read that ends it
        assertThat(documents).hasSizeBetween(3, 5);
        assertThat(documents.get(0)).startsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><livepackage><status>"
                + "<statustime>");
        assertThat(picturesWhileDisconnected).isZero();
        assertThat(resumed.get(0).sync()).as("a camera coming back starts at a key frame").isTrue();
    }

    @Test
    void liveWithoutSendInitialImageNoStartsWithAJpegSnapshot() throws IOException {
        send(connect(0, EVEN, GOOD));
        readBlock();

        send(live(1).replace("<sendinitialimage>no</sendinitialimage>", ""));

        String block = readBlock();
        while (block.startsWith("<")) {
            block = readBlock();
        }
        Response snapshot = readResponse(block);
        assertThat(snapshot.header("Content-type")).isEqualTo("image/jpeg");
        assertThat(snapshot.body()[0] & 0xFF).isEqualTo(0xFF);
        assertThat(snapshot.body()[1] & 0xFF).isEqualTo(0xD8);
    }

    @Test
    void alwaysStdJpegYesGetsJpegPictures() throws IOException {
        send(connect(0, EVEN, GOOD).replace("<alwaysstdjpeg>no", "<alwaysstdjpeg>yes"));
        assertThat(readBlock()).contains("<connected>yes</connected>");

        send(live(1));

        List<String> heads = new ArrayList<>();
        pictures(1, heads);
        assertThat(heads.get(0)).contains("Content-type: image/jpeg");
    }

    @Test
    void connectUpdateWithAValidTokenIsAccepted() throws IOException {
        send(connect(0, EVEN, GOOD));
        readBlock();

        send("<?xml version=\"1.0\" encoding=\"utf-8\"?><methodcall><requestid>1</requestid><methodname>connectupdate"
                + "</methodname><connectparam>id=" + EVEN + "&amp;connectiontoken=" + GOOD + "</connectparam>"
                + "</methodcall>\r\n\r\n");

        assertThat(readBlock()).contains("<methodname>connectupdate</methodname><connected>yes</connected>");
        assertThat(simulator.acceptedConnectUpdates(EVEN)).isEqualTo(1);
    }

    @Test
    void aConnectWithoutTheDummyCredentialsIsRefusedAsAProtocolViolation() throws IOException {
        send(connect(0, EVEN, GOOD).replace("<username>a</username><password>a</password>", ""));

        assertThat(readBlock()).contains("<connected>no</connected><errorreason>Invalid request: connect without "
                + "&lt;username&gt;</errorreason>");
        assertThat(simulator.protocolViolations()).isOne();
    }

    @Test
    void aRequestWithALineBreakInsideIsAProtocolViolationAndTheSocketIsClosed() throws IOException {
        send(connect(0, EVEN, GOOD).replace("<methodname>", "\r\n<methodname>"));

        assertThat(in.read()).as("closed without an answer").isEqualTo(-1);
        assertThat(simulator.protocolViolations()).isOne();
    }

    @Test
    void camRelaysOwnRequestsKeepTheProtocol() throws IOException {
        send(ImageServerRequests.connect(0, EVEN, "s", GOOD));
        assertThat(readBlock()).contains("<connected>yes</connected>");
        send(ImageServerRequests.live(1));
        pictures(2, new ArrayList<>());
        send(ImageServerRequests.connectUpdate(2, EVEN, GOOD));
        send(ImageServerRequests.stop(3));

        String block = readBlock();
        while (!block.contains("<methodname>stop</methodname>")) {
            if (block.startsWith("ImageResponse")) {
                readResponse(block);
            }
            block = readBlock();
        }
        assertThat(simulator.protocolViolations()).isZero();
        assertThat(simulator.stopsReceived(EVEN)).isOne();
    }

    private void startLive(String camera) throws IOException {
        send(connect(0, camera, GOOD));
        assertThat(readBlock()).contains("<connected>yes</connected>");
        send(live(1));
    }

    /** The next {@code count} ImageResponses, skipping XML documents; their header blocks go to {@code heads}. */
    private List<Response> pictures(int count, List<String> heads) throws IOException {
        List<Response> out = new ArrayList<>();
        while (out.size() < count) {
            String block = readBlock();
            if (block.startsWith("<")) {
                continue;
            }
            heads.add(block);
            out.add(readResponse(block));
        }
        return out;
    }

    /** Reads the body and trailer of the ImageResponse whose header block is {@code block} (§1.5). */
    private Response readResponse(String block) throws IOException {
        String[] lines = block.split("\r\n");
        assertThat(lines[0]).isEqualTo("ImageResponse");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            Matcher m = HEADER.matcher(lines[i]);
            assertThat(m.matches()).as("header line '%s'", lines[i]).isTrue();
            headers.put(m.group(1), m.group(2));
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.get("Content-length")));
        assertThat(in.readNBytes(4)).as("trailer").isEqualTo("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return new Response(headers, body);
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
