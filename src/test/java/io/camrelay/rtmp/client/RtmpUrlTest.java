package io.camrelay.rtmp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The URL table of docs/protocols.md A3, row by row, and the malformed cases. */
class RtmpUrlTest {

    @Test
    void youTubeUrlSplitsIntoAppAndKeyWithTheDefaultPort() {
        RtmpUrl u = RtmpUrl.parse("rtmp://a.rtmp.youtube.com/live2/KEY");

        assertThat(u).isEqualTo(new RtmpUrl(false, "a.rtmp.youtube.com", 1935, "live2", "KEY",
                "rtmp://a.rtmp.youtube.com:1935/live2"));
    }

    @Test
    void twitchRtmpsUrlUsesPort443() {
        RtmpUrl u = RtmpUrl.parse("rtmps://live.twitch.tv/app/KEY");

        assertThat(u).isEqualTo(new RtmpUrl(true, "live.twitch.tv", 443, "app", "KEY",
                "rtmps://live.twitch.tv:443/app"));
    }

    @Test
    void facebookKeyKeepsItsQueryString() {
        RtmpUrl u = RtmpUrl.parse("rtmps://live-api-s.facebook.com:443/rtmp/KEY?s_bl=1&s_sc=2&a=Ab");

        assertThat(u).isEqualTo(new RtmpUrl(true, "live-api-s.facebook.com", 443, "rtmp", "KEY?s_bl=1&s_sc=2&a=Ab",
                "rtmps://live-api-s.facebook.com:443/rtmp"));
    }

    @Test
    void nestedAppTakesEverythingBeforeTheLastSlash() {
        RtmpUrl u = RtmpUrl.parse("rtmp://host:1935/app/sub/key?q=1");

        assertThat(u).isEqualTo(new RtmpUrl(false, "host", 1935, "app/sub", "key?q=1", "rtmp://host:1935/app/sub"));
    }

    @Test
    void serverUrlWithSeparateKeyIsTakenAsObsDoes() {
        RtmpUrl u = RtmpUrl.parse("rtmps://b.rtmps.youtube.com:443/live2?backup=1", "key");

        assertThat(u).isEqualTo(new RtmpUrl(true, "b.rtmps.youtube.com", 443, "live2?backup=1", "key",
                "rtmps://b.rtmps.youtube.com:443/live2?backup=1"));
    }

    @Test
    void serverUrlWithTrailingSlashDropsIt() {
        RtmpUrl u = RtmpUrl.parse("rtmps://rtmp-api.facebook.com:443/rtmp/", "FB-1?s_bl=1");

        assertThat(u.app()).isEqualTo("rtmp");
        assertThat(u.tcUrl()).isEqualTo("rtmps://rtmp-api.facebook.com:443/rtmp");
        assertThat(u.streamKey()).isEqualTo("FB-1?s_bl=1");
    }

    @Test
    void schemeIsCaseInsensitiveAndIpv6HostsWork() {
        RtmpUrl u = RtmpUrl.parse("RTMP://[::1]:19350/live/k");

        assertThat(u.host()).isEqualTo("::1");
        assertThat(u.port()).isEqualTo(19350);
        assertThat(u.tcUrl()).isEqualTo("rtmp://[::1]:19350/live");
    }

    @Test
    void maskedFormAndToStringHideTheKey() {
        RtmpUrl u = RtmpUrl.parse("rtmps://live-api-s.facebook.com/rtmp/SECRET?s_bl=1");

        assertThat(u.masked()).isEqualTo("rtmps://live-api-s.facebook.com/rtmp/****?s_bl=****");
        assertThat(u.toString()).doesNotContain("SECRET");
        assertThat(RtmpUrl.parse("rtmp://host:19350/live/SECRET").masked()).isEqualTo("rtmp://host:19350/live/****");
        assertThat(u.scrub("publish SECRET?s_bl=1 and SECRET failed")).isEqualTo("publish **** and **** failed");
    }

    @Test
    void urlWithoutKeyIsRefusedNamingTheExpectedForm() {
        assertThatThrownBy(() -> RtmpUrl.parse("rtmp://host/live")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no application and stream key")
                .hasMessageContaining("rtmp[s]://host[:port]/app/streamKey");
        assertThatThrownBy(() -> RtmpUrl.parse("rtmp://host/live/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherSchemesAreRefused() {
        assertThatThrownBy(() -> RtmpUrl.parse("http://host/live/SECRETKEY"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unsupported scheme 'http'").hasMessageNotContaining("SECRETKEY");
    }

    @Test
    void badPortIsRefusedNamingIt() {
        assertThatThrownBy(() -> RtmpUrl.parse("rtmp://host:99999/live/key"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid port '99999' in RTMP URL 'rtmp://host:99999/live/****' (expected 1..65535)");
    }

    @Test
    void userInfoAndMissingHostAreRefused() {
        assertThatThrownBy(() -> RtmpUrl.parse("rtmp://user:pw@host/live/key"))
                .hasMessageContaining("user information");
        assertThatThrownBy(() -> RtmpUrl.parse("rtmp:///live/key")).hasMessageContaining("has no host");
    }

    @Test
    void anIpv6HostKeepsItsBracketsAlsoWhenTheyCamePercentEncoded() {
        RtmpUrl plain = RtmpUrl.parse("rtmp://[::1]:1936/live/k");
        RtmpUrl encoded = RtmpUrl.parse("rtmp://%5B::1%5d:1936/live/k");
        assertThat(encoded).isEqualTo(plain);
        assertThat(plain.host()).isEqualTo("::1");
        assertThat(plain.serverUrl()).isEqualTo("rtmp://[::1]:1936/live");
    }
}
