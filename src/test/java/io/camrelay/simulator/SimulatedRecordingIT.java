package io.camrelay.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
 * The simulated recorder's recorded side on a plain socket, spoken to with the reference's request texts (§8.1,
 * §8.2) and read byte by byte here: {@code goto}/{@code next} per GOP, across the gap, at the end, pipelined, the
 * {@code alarms} listing and RecorderCommandService {@code SequencesGet} on the same port (docs/simulator.md).
 */
class SimulatedRecordingIT {

    private static final String GOOD = "TOKEN#good#sim//ServerConnector#";
    private static final String CAMERA = "77777777-aaaa-4000-8000-000000000001";
    private static final String NOTHING = "77777777-aaaa-4000-8000-000000000002";
    private static final long INTERVAL_MS = 40;
    private static final long GOP_MS = 2000;
    private static final Pattern HEADER = Pattern.compile("^([A-Za-z-]+): (.*)$");

    private final Map<String, SimulatedCamera> cameras = new HashMap<>();
    private ImageServerSimulator simulator;
    private Socket socket;
    private InputStream in;
    private RecordingLayout layout = RecordingLayout.DEFAULT;

    /** One ImageResponse as it came off the wire. */
    private record Response(Map<String, String> headers, byte[] body) {
        long header(String name) {
            return Long.parseLong(headers.get(name));
        }

        long pictureTime() {
            return ByteBuffer.wrap(body).getLong(20);
        }

        boolean sync() {
            return (ByteBuffer.wrap(body).getShort(10) & 1) != 0;
        }
    }

    @BeforeEach
    void start() throws IOException {
        RecorderBehaviour even = RecorderBehaviour.REAL.withBurstyStamps(false);
        cameras.put(CAMERA, new SimulatedCamera(CAMERA, "Gate", SimulatorClip.H264_BASELINE, "s", even));
        cameras.put(NOTHING, new SimulatedCamera(NOTHING, "New", SimulatorClip.H264_BASELINE, "s", even));
        simulator = new ImageServerSimulator(new ImageServerBackend() {
            @Override
            public Optional<SimulatedCamera> camera(String cameraId) {
                return Optional.ofNullable(cameras.get(cameraId));
            }

            @Override
            public boolean tokenValid(String vmsToken) {
                return GOOD.equals(vmsToken);
            }

            @Override
            public RecordingLayout recordingLayout() {
                return layout;
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
    void gotoAnswersTheGopAtOrBeforeTheTimeAndNextTheOneAfterItInDecodeOrder() throws IOException {
        long begin = sequences().get(0)[0];
        connect(CAMERA);
        long asked = begin + 10 * GOP_MS + 700;

        send(request(1, "goto", "<time>" + asked + "</time><compressionrate>90</compressionrate>"
                + "<keyframesonly>no</keyframesonly>"));
        send(request(2, "next", ""));
        List<Response> first = gop(1);
        List<Response> second = gop(2);

        assertThat(first).hasSize(50);
        assertThat(first.get(0).sync()).isTrue();
        assertThat(first.get(0).pictureTime()).isEqualTo(begin + 10 * GOP_MS);
        assertThat(first).allSatisfy(r -> {
            assertThat(r.header("Current")).isEqualTo(begin + 10 * GOP_MS);
            assertThat(r.header("Prev")).isEqualTo(begin + 9 * GOP_MS);
            assertThat(r.header("Next")).isEqualTo(begin + 11 * GOP_MS);
        });
        for (int i = 1; i < 50; i++) {
            assertThat(first.get(i).pictureTime() - first.get(i - 1).pictureTime()).isEqualTo(INTERVAL_MS);
            assertThat(first.get(i).sync()).isFalse();
        }
        assertThat(second.get(0).pictureTime()).isEqualTo(begin + 11 * GOP_MS);
        assertThat(simulator.protocolViolations()).isZero();
    }

    @Test
    void theLastGopBeforeTheGapPointsAcrossItAndNextSkipsItAsDoesAGotoIntoIt() throws IOException {
        List<long[]> sequences = sequences();
        long gapFrom = gapStart(sequences);
        long gapTo = gapEnd(sequences);
        assertThat(gapTo - gapFrom).as("the default gap").isBetween(60_000L, 62_000L);
        connect(CAMERA);

        send(request(1, "goto", "<time>" + (gapFrom + 20_000) + "</time>"));
        List<Response> last = gop(1);
        send(request(2, "next", ""));
        List<Response> after = gop(2);

        assertThat(last.get(0).pictureTime()).as("into the gap: the last GOP before it").isEqualTo(gapFrom - GOP_MS);
        assertThat(last.get(last.size() - 1).pictureTime()).isEqualTo(gapFrom - INTERVAL_MS);
        assertThat(last.get(0).header("Next")).as("Next crosses the gap").isEqualTo(gapTo);
        assertThat(after.get(0).pictureTime()).isEqualTo(gapTo);
        assertThat(after.get(0).header("Prev")).isEqualTo(gapFrom - GOP_MS);
    }

    @Test
    void pastTheNewestRecordingNextRepeatsTheNewestGopWithTheSameCurrent() throws IOException {
        connect(CAMERA);

        send(request(1, "goto", "<time>" + (System.currentTimeMillis() + 3_600_000) + "</time>"));
        List<Response> newest = gop(1);
        send(request(2, "next", ""));
        List<Response> again = gop(2);

        assertThat(newest.get(0).header("Next")).isEqualTo(newest.get(0).header("Current"));
        assertThat(again.get(0).header("Current")).isEqualTo(newest.get(0).header("Current"));
        assertThat(newest.get(newest.size() - 1).pictureTime())
                .isLessThanOrEqualTo(System.currentTimeMillis() - SimulatedRecording.INGEST_DELAY_MS);
    }

    @Test
    void aCameraWithoutRecordingsAnswersAnEmptyReply() throws IOException {
        layout = RecordingLayout.NONE;
        connect(NOTHING);

        send(request(1, "goto", "<time>" + System.currentTimeMillis() + "</time>"));

        Response empty = readResponse(readBlock());
        assertThat(empty.body()).isEmpty();
        assertThat(empty.header("Current")).isZero();
        assertThat(empty.header("Prev")).isZero();
        assertThat(empty.header("Next")).isZero();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAConnectUpdateTooAndTooManyCloseTheSocket() throws IOException {
        connect(CAMERA);
        StringBuilder batch = new StringBuilder(request(1, "goto", "<time>" + sequences().get(0)[0] + "</time>"));
        for (int i = 2; i <= 4; i++) {
            batch.append(request(i, "next", ""));
        }
        batch.append("<?xml version=\"1.0\" encoding=\"utf-8\"?><methodcall><requestid>5</requestid><methodname>"
                + "connectupdate</methodname><connectparam>id=" + CAMERA + "&amp;connectiontoken=" + GOOD
                + "</connectparam></methodcall>\r\n\r\n");
        send(batch.toString());

        List<Long> requestIds = new ArrayList<>();
        String block;
        while (!(block = readBlock()).startsWith("<")) {
            Response r = readResponse(block);
            if (requestIds.isEmpty() || requestIds.get(requestIds.size() - 1) != r.header("RequestId")) {
                requestIds.add(r.header("RequestId"));
            }
        }
        assertThat(requestIds).containsExactly(1L, 2L, 3L, 4L);
        assertThat(block).contains("<requestid>5</requestid><methodname>connectupdate</methodname>"
                + "<connected>yes</connected>");
        assertThat(simulator.protocolViolations()).isZero();

        socket.setReceiveBufferSize(4096);
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            flood.append(request(10 + i, "next", ""));
        }
        send(flood.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (simulator.protocolViolations() == 0 && System.nanoTime() < deadline) {
            in.skip(in.available());
            Thread.onSpinWait();
        }
        assertThat(simulator.protocolViolations()).as("more than " + SimulatedPlayback.MAX_QUEUED
                + " waiting requests").isOne();
    }

    @Test
    void alarmsListsTheRecordedSequencesAroundTheCenterTime() throws IOException {
        List<long[]> sequences = sequences();
        long gapFrom = gapStart(sequences);
        connect(CAMERA);

        send(request(1, "alarms", "<centertime>" + gapFrom + "</centertime><timespan>900000</timespan>"
                + "<numalarms>16</numalarms>"));

        String reply = readBlock();
        assertThat(reply).startsWith("<?xml").contains("<methodname>alarms</methodname><alarms><alarm starttime=\"");
        Matcher m = Pattern.compile("<alarm starttime=\"(\\d+)\" endtime=\"(\\d+)\" alarmtime=\"\\d+\"/>")
                .matcher(reply);
        List<long[]> alarms = new ArrayList<>();
        while (m.find()) {
            alarms.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        assertThat(alarms).isNotEmpty().allSatisfy(a -> assertThat(a[1]).isGreaterThan(a[0]));
        assertThat(alarms.stream().anyMatch(a -> a[1] == gapFrom)).as("the sequence ending at the gap").isTrue();
        assertThat(alarms.get(alarms.size() - 1)[0]).isLessThanOrEqualTo(gapFrom + 900_000);
    }

    @Test
    void sequencesGetIsServedOverSoapOnTheImageServerPort() throws Exception {
        List<long[]> sequences = sequences();
        long begin = sequences.get(0)[0];
        String uri = "http://127.0.0.1:" + simulator.port() + "/RecorderCommandService/RecorderCommandService.asmx";

        HttpResponse<String> ok = soap(uri, GOOD, Instant.ofEpochMilli(begin), Instant.ofEpochMilli(begin + 1_500_000));
        HttpResponse<String> refused = soap(uri, "TOKEN#expired#", Instant.ofEpochMilli(begin),
                Instant.ofEpochMilli(begin + 1_500_000));

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("<SequenceEntry><TimeBegin>" + Instant.ofEpochMilli(begin) + "</TimeBegin>");
        assertThat(ok.body().split("<SequenceEntry>")).hasSize(4); // 0-10, 10-20, 20-30 minutes
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(refused.body()).contains("<faultstring>Security token invalid</faultstring>");
    }

    private HttpResponse<String> soap(String uri, String token, Instant min, Instant max) throws Exception {
        String envelope = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><SequencesGet "
                + "xmlns=\"http://videoos.net/2/XProtectCSRecorderCommand/\"><token>" + token + "</token><deviceId>"
                + CAMERA + "</deviceId><sequenceType>f9c62604-d0c5-4050-ae25-72de51639b14</sequenceType><minTime>"
                + min + "</minTime><maxTime>" + max + "</maxTime><maxCount>100</maxCount></SequencesGet></s:Body>"
                + "</s:Envelope>";
        return io.camrelay.testing.TestHttp.client().send(HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"http://videoos.net/2/XProtectCSRecorderCommand/SequencesGet\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<long[]> sequences() {
        return simulator.recordedSequences(CAMERA, 0, Long.MAX_VALUE / 2);
    }

    private static long gapStart(List<long[]> sequences) {
        for (int i = 1; i < sequences.size(); i++) {
            if (sequences.get(i)[0] > sequences.get(i - 1)[1]) {
                return sequences.get(i - 1)[1];
            }
        }
        throw new AssertionError("no gap in " + sequences.size() + " sequences");
    }

    private static long gapEnd(List<long[]> sequences) {
        for (int i = 1; i < sequences.size(); i++) {
            if (sequences.get(i)[0] > sequences.get(i - 1)[1]) {
                return sequences.get(i)[0];
            }
        }
        throw new AssertionError("no gap");
    }

    private void connect(String camera) throws IOException {
        send("<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodcall><requestid>0</requestid>"
                + "<methodname>connect</methodname><username>a</username><password>a</password><cameraid>" + camera
                + "</cameraid><alwaysstdjpeg>no</alwaysstdjpeg><connectparam>id=" + camera
                + "&amp;connectiontoken=" + GOOD + "</connectparam></methodcall>\r\n\r\n");
        assertThat(readBlock()).contains("<connected>yes</connected>");
    }

    private static String request(int id, String method, String elements) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodcall><requestid>" + id + "</requestid><methodname>"
                + method + "</methodname>" + elements + "</methodcall>\r\n\r\n";
    }

    /** The pictures of the reply to request {@code id}: read until a picture of another reply would follow. */
    private List<Response> gop(int id) throws IOException {
        List<Response> out = new ArrayList<>();
        if (pending != null) {
            out.add(pending);
            pending = null;
        }
        while (true) {
            if (!out.isEmpty() && out.get(0).header("RequestId") != id) {
                throw new AssertionError("reply to " + out.get(0).header("RequestId") + " where " + id + " was due");
            }
            Response r;
            try {
                socket.setSoTimeout(out.isEmpty() ? 5000 : 500);
                r = readResponse(readBlock());
            } catch (java.net.SocketTimeoutException e) {
                return out;
            }
            if (r.header("RequestId") != id) {
                pending = r;
                return out;
            }
            out.add(r);
        }
    }

    private Response pending;

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
