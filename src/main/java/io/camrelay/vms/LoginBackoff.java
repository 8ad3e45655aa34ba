package io.camrelay.vms;

import io.camrelay.support.Backoff;
import java.util.function.DoubleSupplier;
import java.time.Duration;
import java.time.Instant;

/**
 * When the session may log in again after a failure (docs/design.md "Failure handling"). Refused credentials wait
 * minutes, doubling, so a wrong password never locks the account out; an unreachable server waits 1 s doubling to
 * 60 s. Both with the jitter of {@link Backoff}, so many CamRelay processes that lost one VMS do not log in in step.
 * Not thread-safe: the session guards it.
 */
final class LoginBackoff {

    /** First wait after the credentials were refused. */
    static final Duration CREDENTIALS_FIRST = Duration.ofMinutes(5);
    /** Longest wait between two attempts with refused credentials. */
    static final Duration CREDENTIALS_MAX = Duration.ofMinutes(30);
    /** First wait after the VMS could not be reached (1 s … 60 s, as every reconnect). */
    static final Duration TRANSIENT_FIRST = Duration.ofSeconds(1);
    /** Longest wait after the VMS could not be reached. */
    static final Duration TRANSIENT_MAX = Duration.ofSeconds(60);

    /** Why the last attempt failed. */
    enum Kind { CREDENTIALS, TRANSIENT }

    private final Backoff credentials;
    private final Backoff transients;
    private Instant notBefore;
    private Kind lastKind;
    private String lastMessage;

    LoginBackoff() {
        this(() -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    /** With {@code random} for the jitter (tests: a constant 0.5 gives the delays without jitter). */
    LoginBackoff(DoubleSupplier random) {
        credentials = new Backoff(CREDENTIALS_FIRST.toMillis(), CREDENTIALS_MAX.toMillis(), random);
        transients = new Backoff(TRANSIENT_FIRST.toMillis(), TRANSIENT_MAX.toMillis(), random);
    }

    /** Records a refusal of the credentials at {@code now}; returns the wait before the next attempt. */
    Duration credentialsRefused(Instant now, String message) {
        return block(now, Duration.ofMillis(credentials.nextDelayMillis()), Kind.CREDENTIALS, message);
    }

    /** Records an unreachable/unusable VMS at {@code now}; returns the wait before the next attempt. */
    Duration unavailable(Instant now, String message) {
        return block(now, Duration.ofMillis(transients.nextDelayMillis()), Kind.TRANSIENT, message);
    }

    /** Whether an attempt at {@code now} must wait. */
    boolean blocked(Instant now) {
        return notBefore != null && now.isBefore(notBefore);
    }

    /** Time left until the next attempt may be made. */
    Duration remaining(Instant now) {
        return notBefore == null || !now.isBefore(notBefore) ? Duration.ZERO : Duration.between(now, notBefore);
    }

    Kind lastKind() {
        return lastKind;
    }

    String lastMessage() {
        return lastMessage;
    }

    /** A successful login clears the history. */
    void reset() {
        credentials.reset();
        transients.reset();
        notBefore = null;
        lastKind = null;
        lastMessage = null;
    }

    private Duration block(Instant now, Duration d, Kind kind, String message) {
        notBefore = now.plus(d);
        lastKind = kind;
        lastMessage = message;
        return d;
    }

    /** Failures since the last success; the first one of an outage is the one worth a warning. */
    int failures() {
        return credentials.failures() + transients.failures();
    }
}
