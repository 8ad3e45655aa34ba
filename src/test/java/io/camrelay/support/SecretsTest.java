package io.camrelay.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecretsTest {

    /** The secret every malformed URL below carries; it must never come out of the masker. */
    private static final String KEY = "K3y-s3cr3t_42";

    /** URLs as operators write them, well formed and not, each hiding {@link #KEY}, and what the masker shows. */
    static Stream<Arguments> urlsWithAKey() {
        return Stream.of(
                Arguments.of("rtmps://a.rtmps.youtube.com/live2/" + KEY, "rtmps://a.rtmps.youtube.com/live2/****"),
                Arguments.of("rtmp://a.rtmp.youtube.com/live2/" + KEY + "/", "rtmp://a.rtmp.youtube.com/live2/****"),
                Arguments.of("rtmp://host/" + KEY, "rtmp://host/****"),
                Arguments.of("rtmp:/host/live2/" + KEY, "rtmp:/host/live2/****"),
                Arguments.of("rtmp:host/live2/" + KEY, "rtmp:host/live2/****"),
                Arguments.of("RTMPS://Host/Live2/" + KEY, "RTMPS://Host/Live2/****"),
                Arguments.of("rtmpx://a.rtmps.youtube.com/live2/" + KEY, "rtmpx://a.rtmps.youtube.com/live2/****"),
                Arguments.of("rtmp://host/app/sub/" + KEY, "rtmp://host/app/****"),
                Arguments.of("rtmps://live-api-s.facebook.com:443/rtmp/FB-1-" + KEY + "?s_bl=1&s_sc=" + KEY + "&a="
                        + KEY, "rtmps://live-api-s.facebook.com:443/rtmp/****?s_bl=****&s_sc=****&a=****"),
                Arguments.of("rtmp://bob:" + KEY + "@nginx.local:1935/live/cam", "rtmp://****@nginx.local:1935/live/****"),
                Arguments.of("rtmp://" + KEY + "@nginx.local/live/cam", "rtmp://****@nginx.local/live/****"),
                Arguments.of("rtmp://host/live?key=" + KEY, "rtmp://host/****?key=****"),
                Arguments.of("rtmp://host/live?" + KEY, "rtmp://host/****?****"),
                Arguments.of("rtmp://host/live#" + KEY, "rtmp://host/****#****"),
                Arguments.of("rtmp://[::1]:1935/live/" + KEY, "rtmp://[::1]:1935/live/****"),
                Arguments.of("rtmp://host/app/" + KEY + " with space", "rtmp://host/app/****"),
                Arguments.of("srt://ingest:9000?streamid=publish:cam&passphrase=" + KEY,
                        "srt://ingest:9000?streamid=****&passphrase=****"),
                Arguments.of("https://admin:" + KEY + "@vms/api/rest?access_token=" + KEY,
                        "https://****@vms/api/rest?access_token=****"));
    }

    @ParameterizedTest
    @MethodSource("urlsWithAKey")
    void aUrlComesOutMaskedWithTheKeyNowhereInIt(String url, String expected) {
        assertThat(Secrets.maskUrl(url)).isEqualTo(expected).doesNotContain(KEY);
    }

    @ParameterizedTest
    @MethodSource("urlsWithAKey")
    void aUrlInsideAnyTextIsMasked(String url, String expected) {
        for (String text : List.of("refused " + url + " at once", "'" + url + "'", "{\"url\":\"" + url + "\"}",
                "(" + url + ")", "url=" + url + ", retry", "<" + url + ">", url)) {
            assertThat(Secrets.maskUrlsIn(text)).as(text).doesNotContain(KEY);
        }
    }

    @ParameterizedTest
    @MethodSource("urlsWithAKey")
    void aDestinationIsMaskedWhateverItsScheme(String url, String expected) {
        assertThat(Secrets.maskDestination(url)).doesNotContain(KEY);
        assertThat(Secrets.maskDestination("http://h/live2/" + KEY)).isEqualTo("http://h/live2/****");
    }

    @Test
    void aDestinationWithoutASchemeKeepsOnlyItsFirstSegmentUnlessItIsAFile() {
        assertThat(Secrets.maskDestination("a.rtmp.youtube.com/live2/" + KEY)).isEqualTo("a.rtmp.youtube.com/****");
        assertThat(Secrets.maskDestination(KEY)).isEqualTo("****");
        assertThat(Secrets.maskDestination("rtmp//host/live2/" + KEY)).doesNotContain(KEY);
        assertThat(Secrets.maskDestination("output/lobby.flv")).isEqualTo("output/lobby.flv");
        assertThat(Secrets.maskDestination("C:/recordings/lobby.flv")).isEqualTo("C:/recordings/lobby.flv");
    }

    @Test
    void webUrlsKeepTheirPathAndTextWithoutUrlsIsUntouched() {
        assertThat(Secrets.maskUrl("https://vms.local/IDP/connect/token")).isEqualTo("https://vms.local/IDP/connect/token");
        assertThat(Secrets.maskUrl("output/lobby.flv")).isEqualTo("output/lobby.flv");
        assertThat(Secrets.maskUrl("rtmp://host/")).isEqualTo("rtmp://host/");
        assertThat(Secrets.maskUrl(null)).isNull();
        assertThat(Secrets.maskUrlsIn("stream lobby: 12:30 ok, C:/out/a.flv")).isEqualTo("stream lobby: 12:30 ok, C:/out/a.flv");
    }

    @Test
    void everyOccurrenceOfAGivenSecretIsMasked() {
        assertThat(Secrets.mask("token T1 and T1 again, pw P", "T1", "P", null, ""))
                .isEqualTo("token **** and **** again, pw ****");
        assertThat(Secrets.messageOf(new IllegalStateException("to rtmp://h/app/" + KEY))).isEqualTo("to rtmp://h/app/****");
    }
}
