package io.camrelay.xprotect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void streamKeyIsTheMaskedLastPathSegment() {
        assertThat(Secrets.maskStreamUrl("rtmps://a.rtmps.youtube.com/live2/abcd-efgh"))
                .isEqualTo("rtmps://a.rtmps.youtube.com/live2/****");
        assertThat(Secrets.maskStreamUrl("rtmp://host:1935/app/key?token=x")).isEqualTo("rtmp://host:1935/app/****");
    }

    @Test
    void urlWithoutAKeyIsLeftReadable() {
        assertThat(Secrets.maskStreamUrl("rtmp://host/")).isEqualTo("rtmp://host/");
    }

    @Test
    void malformedUrlIsHiddenWhole() {
        assertThat(Secrets.maskStreamUrl("rtmp://host/app/key with space")).isEqualTo("<malformed URL>");
    }

    @Test
    void userInfoAndQueryAreMasked() {
        assertThat(Secrets.maskUrl("https://admin:pw@vms/api?access_token=t"))
                .isEqualTo("https://****@vms/api?****");
    }

    @Test
    void everySecretOccurrenceIsMasked() {
        assertThat(Secrets.mask("token T1 and T1 again, pw P", "T1", "P", null, ""))
                .isEqualTo("token **** and **** again, pw ****");
    }
}
