package io.camrelay.vms;

import io.camrelay.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.simulator.SimulatedPluginItem;
import io.camrelay.simulator.XProtectSimulator;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration REST against the XProtect simulator on loopback. */
class ConfigRestClientTest extends SimulatedVmsTest {

    private static final String UNKNOWN_ID = "00000000-1111-2222-3333-444444444444";

    private ConfigRestClient start(XProtectSimulator.Builder builder) throws IOException {
        sim = builder.build().start();
        session = new VmsSession(VmsConfiguration.of(sim.baseUrl(), sim.username(), sim.password()));
        return session.configApi();
    }

    @Test
    void recorderOfACameraIsTheSimulatorsImageServer() throws IOException {
        start(XProtectSimulator.builder());

        RecorderAddress recorder = session.recorderFor(XProtectSimulator.DEMO_CAMERA_ID);

        assertThat(recorder).isEqualTo(new RecorderAddress("127.0.0.1", sim.imageServerPort(), false));
    }

    @Test
    void cameraIsFoundByItsExactName() throws IOException {
        ConfigRestClient api = start(XProtectSimulator.builder());

        VmsCamera camera = api.camera("B-frame Camera");

        assertThat(camera.id()).isEqualTo(XProtectSimulator.BFRAMES_CAMERA_ID);
        assertThat(session.recorderFor("B-frame Camera").port()).isEqualTo(sim.imageServerPort());
    }

    @Test
    void unknownCameraIdIsReportedClearly() throws IOException {
        start(XProtectSimulator.builder());

        assertThatThrownBy(() -> session.recorderFor(UNKNOWN_ID))
                .isInstanceOf(UnknownCameraException.class)
                .hasMessageStartingWith("XProtect has no camera '" + UNKNOWN_ID + "'")
                .hasMessageContaining("no id or exact name matches among 4 cameras")
                .hasMessageContaining("check the camera id or its exact name");
    }

    @Test
    void unknownCameraNameIsReportedClearly() throws IOException {
        ConfigRestClient api = start(XProtectSimulator.builder());

        assertThatThrownBy(() -> api.camera("demo camera"))
                .as("the name must match exactly, case included")
                .isInstanceOf(UnknownCameraException.class)
                .hasMessageStartingWith("XProtect has no camera 'demo camera'")
                .satisfies(e -> assertThat(((UnknownCameraException) e).camera()).isEqualTo("demo camera"));
    }

    @Test
    void cameraStreamsNameTheDefaultLiveStream() throws IOException {
        ConfigRestClient api = start(XProtectSimulator.builder());

        List<CameraStream> streams = api.streams(XProtectSimulator.DEMO_CAMERA_ID);

        assertThat(streams).containsExactly(new CameraStream("Video stream 1",
                sim.camera(XProtectSimulator.DEMO_CAMERA_ID).orElseThrow().streamId(), true));
    }

    @Test
    void listsAllCameras() throws IOException {
        ConfigRestClient api = start(XProtectSimulator.builder());

        assertThat(api.cameras()).extracting(VmsCamera::displayName)
                .containsExactly("Demo Camera", "B-frame Camera", "H.265 Camera", "JPEG Camera");
    }

    @Test
    void pluginItemsAreParsedWithEnabledAbsentMeaningYes() throws IOException {
        ConfigRestClient api = start(XProtectSimulator.builder()
                .pluginItem(SimulatedPluginItem.rtmpStreamer("Lobby", XProtectSimulator.DEMO_CAMERA_ID,
                        "Demo Camera", "rtmp://127.0.0.1/live/lobby-key"))
                .pluginItem(SimulatedPluginItem.rtmpStreamer("Gate", XProtectSimulator.BFRAMES_CAMERA_ID,
                        "B-frame Camera", "rtmps://a.rtmps.youtube.com/live2/gate-key")
                        .with("Enabled", "No").with("AllowUntrustedCerts", "Yes")));

        List<RtmpStreamerItem> items = api.rtmpStreamerItems();

        assertThat(items).hasSize(2);
        RtmpStreamerItem lobby = items.get(0);
        assertThat(lobby.name()).isEqualTo("Lobby");
        assertThat(lobby.cameraId()).isEqualTo(XProtectSimulator.DEMO_CAMERA_ID);
        assertThat(lobby.cameraName()).isEqualTo("Demo Camera");
        assertThat(lobby.rtmpUrl()).isEqualTo("rtmp://127.0.0.1/live/lobby-key");
        assertThat(lobby.enabled()).isTrue();
        assertThat(lobby.allowUntrustedCerts()).isFalse();
        assertThat(items.get(1).enabled()).isFalse();
        assertThat(items.get(1).allowUntrustedCerts()).isTrue();
        assertThat(items.get(1).toString()).contains("rtmps://a.rtmps.youtube.com/live2/****")
                .doesNotContain("gate-key");
    }

    @Test
    void missingPluginEndpointIsWarnedOnceAndGivesNoItemsOnEveryPoll() throws IOException {
        ConfigRestClient api = start(XProtectSimulator.builder().mipKindsAvailable(false));
        try (LogCapture logs = LogCapture.capture()) {

            for (int poll = 0; poll < 3; poll++) {
                assertThat(api.rtmpStreamerItems()).isEmpty();
            }

            assertThat(logs.count("WARN", "has no REST endpoint /api/rest/v1/mipKinds/")).isEqualTo(1);
        }
    }

    @Test
    void pluginEndpointThatAppearsLaterIsUsed() throws IOException {
        ConfigRestClient api = start(XProtectSimulator.builder().mipKindsAvailable(false));
        assertThat(api.rtmpStreamerItems()).isEmpty();

        sim.setMipKindsAvailable(true);
        sim.setPluginItems(List.of(SimulatedPluginItem.rtmpStreamer("Lobby", XProtectSimulator.DEMO_CAMERA_ID,
                "Demo Camera", "rtmp://127.0.0.1/live/k")));

        assertThat(api.rtmpStreamerItems()).extracting(RtmpStreamerItem::name).containsExactly("Lobby");
    }

    @Test
    void expiredAccessTokenIsReplacedTransparently() throws IOException {
        ConfigRestClient api = start(XProtectSimulator.builder());
        String before = session.accessToken();
        // The VMS forgets the token (e.g. IDP restarted): the next call gets 401, logs in again and succeeds.
        sim.revokeAccessTokens();

        assertThat(api.cameras()).hasSize(4);
        assertThat(session.accessToken()).isNotEqualTo(before);
        assertThat(sim.tokenRequests()).isEqualTo(2);
    }

    @Test
    void restErrorEnvelopesBecomeReadableMessages() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(RestCalls.errorText(json.createObjectNode().put("error", "Forbidden"))).isEqualTo(" (Forbidden)");
        var details = json.createObjectNode().put("httpCode", "400");
        details.putArray("details").addObject().put("errorText", "name is required");
        assertThat(RestCalls.errorText(details)).isEqualTo(" (name is required)");
        var nested = json.createObjectNode();
        nested.putObject("error").putArray("details").addObject().put("errorText", "Item not found");
        assertThat(RestCalls.errorText(nested)).isEqualTo(" (Item not found)");
    }
}
