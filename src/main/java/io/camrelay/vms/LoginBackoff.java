package io.camrelay.vms;

import java.time.Duration;
import java.time.Instant;

/**
 * When the session may log in again after a failure (architecture.md §7). Refused credentials wait minutes, doubling,
 * so a wrong password never locks the account out; an unreachable server waits 1 s doubling to 60 s. Not thread-safe:
 * the session guards it.
 */
final class LoginBackoff {

    /** First wait after the credentials were refused. */
    static final Duration CREDENTIALS_FIRST = Duration.ofMinutes(5);
    /** Longest wait between two attempts with refused credentials. */
    static final Duration CREDENTIALS_MAX = Duration.ofMinutes(30);
    /** First wait after the VMS could not be reached (architecture.md §7: 1 s … 60 s). */
    static final Duration TRANSIENT_FIRST = Duration.ofSeconds(1);
    /** Longest wait after the VMS could not be reached. */
    static final Duration TRANSIENT_MAX = Duration.ofSeconds(60);

    /** Why the last attempt failed. */
    enum Kind { CREDENTIALS, TRANSIENT }

    private int credentialFailures;
    private int transientFailures;
    private Instant notBefore;
    private Kind lastKind;
    private String lastMessage;

    /** Records a refusal of the credentials at {@code now}; returns the wait before the next attempt. */
    Duration credentialsRefused(Instant now, String message) {
        Duration d = grow(CREDENTIALS_FIRST, CREDENTIALS_MAX, credentialFailures++);
        return block(now, d, Kind.CREDENTIALS, message);
    }

    /** Records an unreachable/unusable VMS at {@code now}; returns the wait before the next attempt. */
    Duration unavailable(Instant now, String message) {
        Duration d = grow(TRANSIENT_FIRST, TRANSIENT_MAX, transientFailures++);
        return block(now, d, Kind.TRANSIENT, message);
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
        credentialFailures = 0;
        transientFailures = 0;
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

    private static Duration grow(Duration first, Duration max, int failures) {
        Duration d = first;
        for (int i = 0; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Failures since the last success; the first one of an outage is the one worth a warning. */
    int failures() {
        return credentialFailures + transientFailures;
    }

    /** A short human form: "5 min", "4 min 12 s", "30 s", "1.5 s". */
    static String human(Duration d) {
        if (d.compareTo(Duration.ofSeconds(10)) < 0 && d.toMillis() % 1000 != 0) {
            return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        long s = Math.max(0, (d.toMillis() + 999) / 1000);
        if (s < 60) {
            return s + " s";
        }
        long m = s / 60;
        long rest = s % 60;
        return rest == 0 ? m + " min" : m + " min " + rest + " s";
    }
}
