package io.camrelay.vms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RTMP Streamer items as XProtect versions return them, read by the parser that runs (the plugin's rule). */
class PluginItemShapesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A flat item (properties beside Id and Name) and the same item with its properties nested. */
    private static RtmpStreamerItem[] both(String enabledKey, String enabled, String untrusted) throws Exception {
        String props = "\"CameraId\":\"c1\",\"RtmpUrl\":\"rtmp://h/live/k\""
                + (enabled == null ? "" : ",\"" + enabledKey + "\":\"" + enabled + "\"")
                + (untrusted == null ? "" : ",\"AllowUntrustedCerts\":\"" + untrusted + "\"");
        return new RtmpStreamerItem[] {
            ConfigRestClient.streamerItem(JSON.readTree("{\"Id\":\"i1\",\"Name\":\"Lobby\"," + props + "}")),
            ConfigRestClient.streamerItem(JSON.readTree("{\"id\":\"i1\",\"displayName\":\"Lobby\",\"properties\":{"
                    + props + "}}"))};
    }

    @ParameterizedTest(name = "Enabled=''{1}'' (key {0}) means {2}")
    @CsvSource(nullValues = "ABSENT", value = {
        "Enabled, ABSENT, true", "Enabled, '', true", "Enabled, '  ', true", "Enabled, Yes, true",
        "Enabled, True, true", "enabled, yes, true", "ENABLED, 1, true", "Enabled, Y, true", "Enabled, On, true",
        "Enabled, No, false", "enabled, no, false", "Enabled, FALSE, false", "Enabled, 0, false",
        "Enabled, ' No ', false"})
    void enabledIsOnUnlessItSaysNoFalseOrZero(String key, String value, boolean expected) throws Exception {
        for (RtmpStreamerItem item : both(key, value, null)) {
            assertThat(item.enabled()).as(item.toString()).isEqualTo(expected);
            assertThat(item.name()).isEqualTo("Lobby");
            assertThat(item.cameraId()).isEqualTo("c1");
        }
    }

    @ParameterizedTest(name = "AllowUntrustedCerts=''{0}'' means {1}")
    @CsvSource(nullValues = "ABSENT", value = {"ABSENT, false", "'', false", "No, false", "0, false",
        "Yes, true", "True, true", "1, true"})
    void allowUntrustedCertsIsOffWhenAbsentAndOtherwiseReadTheSameWay(String value, boolean expected)
            throws Exception {
        for (RtmpStreamerItem item : both("Enabled", null, value)) {
            assertThat(item.allowUntrustedCerts()).as(item.toString()).isEqualTo(expected);
        }
    }
}
