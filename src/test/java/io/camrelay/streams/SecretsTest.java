package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void masksTheYouTubeStreamKey() {
        assertThat(Secrets.maskUrl("rtmps://a.rtmps.youtube.com/live2/abcd-efgh-ijkl-mnop"))
                .isEqualTo("rtmps://a.rtmps.youtube.com/live2/****");
    }

    @Test
    void masksTheFacebookKeyAndItsQueryString() {
        String url = "rtmps://live-api-s.facebook.com:443/rtmp/FB-1234-0-AbCd?s_bl=1&s_sc=FB-1234&a=AbCd";
        assertThat(Secrets.maskUrl(url)).isEqualTo("rtmps://live-api-s.facebook.com:443/rtmp/****");
    }

    @Test
    void masksThePasswordOfUserInfo() {
        assertThat(Secrets.maskUrl("rtmp://bob:hunter2@nginx.local:1935/live/cam1"))
                .isEqualTo("rtmp://bob:****@nginx.local:1935/live/****");
    }

    @Test
    void keepsAnApplicationOnlyPathButMasksItsQuery() {
        assertThat(Secrets.maskUrl("rtmp://host/live")).isEqualTo("rtmp://host/live");
        assertThat(Secrets.maskUrl("rtmp://host/live?token=s3cret")).isEqualTo("rtmp://host/live?****");
    }

    @Test
    void leavesFilePathsAndNullAlone() {
        assertThat(Secrets.maskUrl("output/lobby.flv")).isEqualTo("output/lobby.flv");
        assertThat(Secrets.maskUrl(null)).isNull();
    }

    @Test
    void masksEveryRtmpUrlInsideFreeText() {
        String text = "publish to rtmp://live.twitch.tv/app/live_123_secret refused; rtmps://x/y/z?k=1 too";
        assertThat(Secrets.maskUrlsIn(text))
                .isEqualTo("publish to rtmp://live.twitch.tv/app/**** refused; rtmps://x/y/**** too")
                .doesNotContain("live_123_secret");
    }
}
