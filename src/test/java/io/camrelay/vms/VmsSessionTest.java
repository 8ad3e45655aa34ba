package io.camrelay.vms;

import io.camrelay.testing.TestClock;
import io.camrelay.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.camrelay.simulator.XProtectSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The VMS session against the XProtect simulator on loopback. */
class VmsSessionTest extends SimulatedVmsTest {

    /**
     * A session whose login back-off has no jitter, so its messages name exact delays, and which may renew the
     * simulator's 2 s tokens (the production floor is 10 s, see ServerCommandServiceTest).
     */
    private static VmsSession withoutJitter(VmsConfiguration config) {
        return new VmsSession(config, java.time.Clock.systemUTC(), new LoginBackoff(() -> 0.5), SHORT_RENEWAL);
    }

    private static final Duration SHORT_RENEWAL = Duration.ofMillis(100);


    private VmsConfiguration config(String password) {
        return VmsConfiguration.of(sim.baseUrl(), sim.username(), password);
    }

    @Test
    void loginGivesAVmsTokenTheRecorderAccepts() throws IOException {
        sim = XProtectSimulator.builder().build().start();
        session = withoutJitter(config(sim.password()));

        String token = session.vmsToken();

        assertThat(token).matches("TOKEN#[0-9a-f-]{36}#sim//ServerConnector#");
        assertThat(sim.tokenValid(token)).isTrue();
        assertThat(sim.logins()).isEqualTo(1);
        assertThat(session.vmsToken()).as("a valid token is reused, not renewed per call").isEqualTo(token);
        assertThat(sim.tokenRequests()).isEqualTo(1);
    }

    @Test
    void closeLogsOutAndTheTokenStopsWorking() throws IOException {
        sim = XProtectSimulator.builder().build().start();
        session = withoutJitter(config(sim.password()));
        String token = session.vmsToken();

        session.close();

        assertThat(sim.logouts()).isEqualTo(1);
        assertThat(sim.tokenValid(token)).isFalse();
        assertThatThrownBy(session::vmsToken).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void renewsAShortLivedTokenBeforeItExpiresAndTellsListeners() throws IOException {
        sim = XProtectSimulator.builder().vmsTokenTtl(Duration.ofSeconds(2)).build().start();
        session = withoutJitter(config(sim.password()));
        List<String> delivered = new CopyOnWriteArrayList<>();
        session.addTokenListener(delivered::add);
        String first = session.vmsToken();

        await().atMost(Duration.ofSeconds(6)).until(() -> delivered.size() >= 2);

        assertThat(delivered).doesNotContain(first).doesNotHaveDuplicates();
        assertThat(sim.renewals()).isGreaterThanOrEqualTo(2);
        assertThat(sim.logins()).as("renewal is Login with the old token, not a fresh login").isEqualTo(1);
        assertThat(sim.tokenValid(session.vmsToken())).isTrue();
    }

    @Test
    void passwordChangedDuringTheSessionStopsRenewalForMinutesWithOneError() throws Exception {
        sim = XProtectSimulator.builder().vmsTokenTtl(Duration.ofSeconds(2)).build().start();
        session = withoutJitter(config(sim.password()));
        try (LogCapture logs = LogCapture.capture()) {
            session.vmsToken();
            sim.setPassword("changed-by-an-operator");

            await().atMost(Duration.ofSeconds(5)).until(() -> sim.refusedTokenRequests() == 1);
            Thread.sleep(3000);

            assertThat(sim.refusedTokenRequests()).as("no background retry every second").isEqualTo(1);
            assertThat(logs.count("ERROR", "refused the credentials of user 'camrelay'")).isEqualTo(1);
            assertThatThrownBy(session::vmsToken).as("the expired token is not handed out")
                    .isInstanceOf(VmsAuthenticationException.class);
            assertThat(sim.refusedTokenRequests()).isEqualTo(1);
        }
    }

    @Test
    void renewalDelayIsTtlMinus30SecondsAboveAMinuteAndThreeQuartersBelow() {
        assertThat(VmsSession.renewDelay(Duration.ofHours(4))).isEqualTo(Duration.ofHours(4).minusSeconds(30));
        assertThat(VmsSession.renewDelay(Duration.ofSeconds(61))).isEqualTo(Duration.ofSeconds(31));
        assertThat(VmsSession.renewDelay(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void rejectedTokenLeadsToANewLoginAndListenersHearOfIt() throws IOException {
        sim = XProtectSimulator.builder().build().start();
        session = withoutJitter(config(sim.password()));
        List<String> delivered = new CopyOnWriteArrayList<>();
        session.addTokenListener(delivered::add);
        String first = session.vmsToken();
        sim.revokeVmsTokens();

        session.tokenRejected(first);
        String second = session.vmsToken();

        assertThat(second).isNotEqualTo(first);
        assertThat(sim.tokenValid(second)).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> delivered.contains(second));
    }

    @Test
    void rejectionOfAnOlderTokenDoesNotDropTheCurrentOne() throws IOException {
        sim = XProtectSimulator.builder().build().start();
        session = withoutJitter(config(sim.password()));
        String token = session.vmsToken();

        session.tokenRejected("TOKEN#old#sim//ServerConnector#");

        assertThat(session.vmsToken()).isEqualTo(token);
        assertThat(sim.tokenRequests()).isEqualTo(1);
    }

    @Test
    void refusedCredentialsGiveAClearErrorWithoutThePassword() throws IOException {
        sim = XProtectSimulator.builder().build().start();
        String wrong = "Wr0ng-S3cret!";
        try (LogCapture logs = LogCapture.capture()) {
            session = withoutJitter(config(wrong));

            assertThatThrownBy(session::vmsToken)
                    .isInstanceOf(VmsAuthenticationException.class)
                    .hasMessage("XProtect refused the credentials of user 'camrelay' (invalid_grant): check"
                            + " camrelay.xprotect.username/password; retrying in 5 min")
                    .satisfies(e -> assertThat(((VmsAuthenticationException) e).retryIn())
                            .isEqualTo(Duration.ofMinutes(5)));
            assertThat(logs.count("ERROR", "refused the credentials of user 'camrelay'")).isEqualTo(1);
            assertThat(logs.all()).doesNotContain(wrong);
        }
    }

    @Test
    void refusedCredentialsAreRetriedAfterMinutesNotEverySecond() throws IOException {
        sim = XProtectSimulator.builder().build().start();
        TestClock clock = TestClock.at("2026-11-21T10:00:00Z");
        session = new VmsSession(config("wrong"), clock, new LoginBackoff(() -> 0.5));

        // A caller (a route restarting) asks for a token every second for an hour.
        int refusedFast = 0;
        for (int second = 0; second < 3600; second++) {
            try {
                session.vmsToken();
            } catch (VmsAuthenticationException e) {
                refusedFast++;
            }
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(refusedFast).isEqualTo(3600);
        // Attempts at 0, 5, 15 (5+10), 35 (15+20) and 65 (35+30) minutes: four inside the hour.
        assertThat(sim.tokenRequests()).isEqualTo(4);
        assertThat(sim.refusedTokenRequests()).isEqualTo(4);
        assertThat(session.loginAttempts()).isEqualTo(4);
    }

    @Test
    void credentialsFixedOnTheServerAreAcceptedAtTheNextAllowedAttempt() throws IOException {
        sim = XProtectSimulator.builder().credentials("camrelay", "old").build().start();
        TestClock clock = TestClock.at("2026-11-21T10:00:00Z");
        session = new VmsSession(config("new"), clock, new LoginBackoff(() -> 0.5));
        assertThatThrownBy(session::vmsToken).isInstanceOf(VmsAuthenticationException.class);
        sim.setPassword("new");

        clock.advance(Duration.ofMinutes(4));
        assertThatThrownBy(session::vmsToken).isInstanceOf(VmsAuthenticationException.class)
                .hasMessageEndingWith("retrying in 1 min");
        clock.advance(Duration.ofMinutes(1));

        assertThat(sim.tokenValid(session.vmsToken())).isTrue();
    }

    @Test
    void unreachableServerIsReportedWithItsUrlAndRetriedWithinSeconds() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TestClock clock = TestClock.at("2026-11-21T10:00:00Z");
        session = new VmsSession(VmsConfiguration.of("http://127.0.0.1:" + port, "u", "p"), clock,
                new LoginBackoff(() -> 0.5));

        assertThatThrownBy(session::vmsToken).isInstanceOf(VmsUnavailableException.class)
                .hasMessageContaining("POST http://127.0.0.1:" + port + "/IDP/connect/token")
                .hasMessageContaining("check camrelay.xprotect.url")
                .hasMessageEndingWith("next login attempt in 1 s");
        assertThatThrownBy(session::vmsToken).as("inside the back-off no request is sent")
                .isInstanceOf(VmsUnavailableException.class).hasMessageEndingWith("retrying in 1 s");
        assertThat(session.loginAttempts()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(session::vmsToken).hasMessageEndingWith("next login attempt in 2 s");
        assertThat(session.loginAttempts()).isEqualTo(2);
    }

    @Test
    void silentServerTimesOutWithinTheRequestTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            VmsConfiguration c = VmsConfiguration.of("http://127.0.0.1:" + silent.getLocalPort(), "u", "p");
            c.setRequestTimeout(Duration.ofSeconds(1));
            session = new VmsSession(c);
            long start = System.nanoTime();

            assertThatThrownBy(session::vmsToken).isInstanceOf(VmsUnavailableException.class)
                    .hasMessageContaining("http://127.0.0.1:" + silent.getLocalPort() + "/IDP/connect/token");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void tokensAndPasswordNeverAppearInLogsOrToString() throws IOException {
        String password = "Very$ecret-123";
        sim = XProtectSimulator.builder().credentials("operator", password).vmsTokenTtl(Duration.ofSeconds(2))
                .build().start();
        VmsConfiguration config = VmsConfiguration.of(sim.baseUrl(), "operator", password);
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (LogCapture logs = LogCapture.capture()) {
            session = new VmsSession(config, java.time.Clock.systemUTC(), new LoginBackoff(), SHORT_RENEWAL);
            session.addTokenListener(tokens::add);
            tokens.add(session.vmsToken());
            String access = session.accessToken();
            await().atMost(Duration.ofSeconds(6)).until(() -> tokens.size() >= 2);
            session.close();

            assertThat(logs.lines()).anyMatch(l -> l.contains("logged in to XProtect"));
            for (String secret : List.of(password, access, tokens.get(0), tokens.get(1))) {
                assertThat(logs.all()).doesNotContain(secret);
                assertThat(session.toString()).doesNotContain(secret);
                assertThat(config.toString()).doesNotContain(secret);
            }
            assertThat(config.toString()).contains("password=****");
        }
    }

    @Test
    void configurationNamesTheKeyToFix() {
        assertThatThrownBy(() -> VmsConfiguration.of(null, "u", "p").validate())
                .hasMessageContaining("camrelay.xprotect.url is not set");
        assertThatThrownBy(() -> VmsConfiguration.of("ftp://vms", "u", "p").validate())
                .hasMessageContaining("camrelay.xprotect.url 'ftp://vms' is not an http(s) URL");
        assertThatThrownBy(() -> VmsConfiguration.of("https://vms", " ", "p").validate())
                .hasMessageContaining("camrelay.xprotect.username is not set");
        assertThatThrownBy(() -> VmsConfiguration.of("https://user:pw@vms", "u", "p").validate())
                .hasMessageContaining("contains user info").hasMessageNotContaining("pw@");
    }
}
