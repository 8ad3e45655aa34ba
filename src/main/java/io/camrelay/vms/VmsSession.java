package io.camrelay.vms;

import io.camrelay.support.Durations;
import io.camrelay.support.Secrets;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logged-in XProtect session of a basic user (docs/protocols.md §3): IDP password grant, SOAP
 * {@code Login} to a VMS token, renewal before expiry on one daemon thread (same {@code instanceId}, the old token as
 * {@code currentToken}; listeners get each new token), {@code Logout} on {@link #close()}.
 *
 * <p>Logging in is lazy: the first {@link #vmsToken()} or REST call does it. A refused password backs off for minutes
 * and an unreachable server for seconds (see {@link LoginBackoff}); calls during a back-off fail at once without
 * contacting the VMS. Tokens and the password never appear in logs, exceptions or {@link #toString()}.
 */
public final class VmsSession implements VmsAccess, AccessTokens, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VmsSession.class);

    /** Renew this long before expiry when the TTL allows (§3.3: min(VMS TTL, access TTL) − 30 s). */
    static final Duration RENEW_MARGIN = Duration.ofSeconds(30);
    /** TTLs up to this renew at {@link #SHORT_TTL_RENEW_PERCENT} of the TTL instead (§3.3 applies above 60 s). */
    static final Duration SHORT_TTL = Duration.ofSeconds(60);
    /** Share of a short TTL after which the session renews. */
    static final int SHORT_TTL_RENEW_PERCENT = 75;
    /**
     * Renew no more often than this, whatever TTL the VMS gives: a TTL of 1 µs made the renewal loop log in every
     * millisecond. A token is taken as valid at least this long (until its renewal).
     */
    static final Duration MIN_RENEW_DELAY = Duration.ofSeconds(10);
    /** Renew no later than this, whatever TTL the VMS gives (the observed TTL is 4 h, docs/protocols.md §3.2). */
    static final Duration MAX_RENEW_DELAY = Duration.ofHours(24);

    private final VmsConfiguration config;
    private final Clock clock;
    private final IdentityProvider idp;
    private final ServerCommandService soap;
    private final ConfigRestClient configApi;
    private final EventsClient events;
    private final RecorderCommandService recorders;
    private final String instanceId = UUID.randomUUID().toString();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService renewer;
    private final AtomicInteger loginAttempts = new AtomicInteger();
    private final AtomicInteger renewals = new AtomicInteger();
    private final Duration minRenewDelay;

    private final Object lock = new Object();
    // guarded by lock
    private final LoginBackoff backoff;
    private String accessToken;
    private Instant accessExpiresAt;
    private String vmsToken;
    private Instant vmsExpiresAt;
    private boolean everLoggedIn;
    private boolean closed;
    private ScheduledFuture<?> renewal;

    /** A session for {@code config} (validated here); nothing is sent until the first token is needed. */
    public VmsSession(VmsConfiguration config) {
        this(config, Clock.systemUTC());
    }

    /** Test seam: a clock that drives token expiry and the login back-off. */
    VmsSession(VmsConfiguration config, Clock clock) {
        this(config, clock, new LoginBackoff());
    }

    /** Test seam: also the login back-off (without jitter, say). */
    VmsSession(VmsConfiguration config, Clock clock, LoginBackoff backoff) {
        this(config, clock, backoff, MIN_RENEW_DELAY);
    }

    /** Test seam: also the shortest renewal delay (tests of renewal use tokens of seconds). */
    VmsSession(VmsConfiguration config, Clock clock, LoginBackoff backoff, Duration minRenewDelay) {
        this.config = Objects.requireNonNull(config, "config").validate();
        this.clock = clock;
        this.backoff = backoff;
        this.minRenewDelay = minRenewDelay;
        ObjectMapper json = new ObjectMapper();
        VmsHttp http = new VmsHttp(config);
        this.idp = new IdentityProvider(http, config, json);
        this.soap = new ServerCommandService(http, config);
        this.configApi = new ConfigRestClient(http, config.baseUrl(), this, json);
        this.events = new EventsClient(http, config.baseUrl(), this, json);
        this.recorders = new RecorderCommandService(http, this);
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "camrelay-vms-token-renewal");
            t.setDaemon(true);
            return t;
        });
    }

    /** The Configuration REST API client of this session. */
    public ConfigRestClient configApi() {
        return configApi;
    }

    /** The recording servers' RecorderCommandService (recorded sequences, docs/protocols.md §8). */
    public RecorderCommandService recorderCommands() {
        return recorders;
    }

    /** The Events/Alarms REST client of this session. */
    public EventsClient events() {
        return events;
    }

    /**
     * Logs in now unless a valid token exists, so a configuration error shows at start-up.
     *
     * @throws VmsAuthenticationException when the credentials are refused
     * @throws VmsUnavailableException    when the VMS cannot be reached
     */
    public void login() {
        vmsToken();
    }

    @Override
    public String vmsToken() {
        synchronized (lock) {
            ensureOpen();
            if (vmsToken != null && clock.instant().isBefore(vmsExpiresAt)) {
                return vmsToken;
            }
            return loginLocked(vmsToken == null ? "" : vmsToken);
        }
    }

    @Override
    public String accessToken() {
        synchronized (lock) {
            ensureOpen();
            if (accessToken != null && clock.instant().isBefore(accessExpiresAt)) {
                return accessToken;
            }
            loginLocked(vmsToken == null ? "" : vmsToken);
            return accessToken;
        }
    }

    @Override
    public void accessTokenRejected(String rejected) {
        synchronized (lock) {
            if (rejected != null && rejected.equals(accessToken)) {
                LOG.info("XProtect refused the REST access token; getting a new one");
                accessToken = null;
            }
        }
    }

    @Override
    public void tokenRejected(String rejectedToken) {
        synchronized (lock) {
            if (rejectedToken != null && rejectedToken.equals(vmsToken)) {
                LOG.info("a recording server refused the VMS token; logging in again on the next request");
                vmsToken = null;
                accessToken = null;
            }
        }
    }

    @Override
    public void addTokenListener(Consumer<String> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeTokenListener(Consumer<String> listener) {
        listeners.remove(listener);
    }

    @Override
    public RecorderAddress recorderFor(String cameraId) {
        return configApi.recorderFor(cameraId);
    }

    @Override
    public void recorderFailed(String cameraId) {
        configApi.forgetRecorder(cameraId);
    }

    /** Logs out ({@code Logout}) and stops renewing. Safe to call twice. */
    @Override
    public void close() {
        String token;
        String access;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (renewal != null) {
                renewal.cancel(false);
            }
            token = vmsToken;
            access = accessToken;
            vmsToken = null;
            accessToken = null;
        }
        renewer.shutdownNow();
        if (token != null && access != null) {
            try {
                soap.logout(access, instanceId, token);
                LOG.info("logged out of XProtect at {}", config.baseUrl());
            } catch (ServerCommandService.AccessTokenRefused | RuntimeException e) {
                LOG.warn("XProtect logout failed ({}); the VMS token expires by itself",
                        Secrets.mask(e.getMessage(), token, access));
            }
        }
    }

    /** How many times this session sent the credentials (test hook for the back-off). */
    int loginAttempts() {
        return loginAttempts.get();
    }

    /** How many background renewals succeeded. */
    int renewals() {
        return renewals.get();
    }

    /**
     * When a token of {@code ttl} is renewed: TTL − 30 s above 60 s, else at 75 % of it (§3.3), but never sooner than
     * {@link #MIN_RENEW_DELAY} nor later than {@link #MAX_RENEW_DELAY}.
     */
    static Duration renewDelay(Duration ttl) {
        return renewDelay(ttl, MIN_RENEW_DELAY);
    }

    private static Duration renewDelay(Duration ttl, Duration min) {
        Duration delay = ttl.compareTo(SHORT_TTL) > 0 ? ttl.minus(RENEW_MARGIN)
                : ttl.multipliedBy(SHORT_TTL_RENEW_PERCENT).dividedBy(100);
        return clamp(delay, min, MAX_RENEW_DELAY);
    }

    /**
     * How long the session takes a token of {@code ttl} to be valid: at least until its earliest renewal, at most
     * until a little after its latest (so a VMS TTL of centuries neither overflows an {@link Instant} nor keeps a
     * token past a day).
     */
    private Duration effectiveTtl(Duration ttl) {
        return clamp(ttl, minRenewDelay, MAX_RENEW_DELAY.plus(RENEW_MARGIN));
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    private String loginLocked(String currentToken) {
        Instant now = clock.instant();
        if (backoff.blocked(now)) {
            throw stillBackingOff(now);
        }
        loginAttempts.incrementAndGet();
        try {
            IdentityProvider.AccessToken at = idp.passwordGrant();
            ServerCommandService.VmsToken vt = soap.login(at.value(), instanceId, currentToken);
            install(at, vt, now, false);
            return vt.value();
        } catch (IdentityProvider.CredentialsRefused e) {
            throw credentialsRefused(now, e.reason);
        } catch (ServerCommandService.AccessTokenRefused e) {
            throw credentialsRefused(now, "SOAP Login " + e.getMessage());
        } catch (VmsUnavailableException e) {
            Duration d = backoff.unavailable(now, e.getMessage());
            logOutage("XProtect login failed: {}; next attempt in {}", e.getMessage(), Durations.human(d));
            throw new VmsUnavailableException(e.getMessage() + "; next login attempt in " + Durations.human(d),
                    e.getCause(), d);
        }
    }

    private VmsAuthenticationException credentialsRefused(Instant now, String reason) {
        String what = "XProtect refused the credentials of user '" + config.getUsername() + "' (" + reason
                + "): check camrelay.xprotect.username/password";
        Duration d = backoff.credentialsRefused(now, what);
        LOG.error("{}; retrying in {}", what, Durations.human(d));
        return new VmsAuthenticationException(what + "; retrying in " + Durations.human(d), d);
    }

    private RuntimeException stillBackingOff(Instant now) {
        Duration left = backoff.remaining(now);
        String msg = backoff.lastMessage() + "; retrying in " + Durations.human(left);
        return backoff.lastKind() == LoginBackoff.Kind.CREDENTIALS
                ? new VmsAuthenticationException(msg, left)
                : new VmsUnavailableException(msg, null, left);
    }

    /** Takes the new tokens, schedules the next renewal, tells the listeners. Called with the lock held. */
    private void install(IdentityProvider.AccessToken at, ServerCommandService.VmsToken vt, Instant obtainedAt,
                         boolean renewal) {
        boolean replaces = everLoggedIn;
        int failuresBefore = backoff.failures();
        Duration accessTtl = effectiveTtl(at.expiresIn());
        Duration vmsTtl = effectiveTtl(vt.timeToLive());
        accessToken = at.value();
        accessExpiresAt = obtainedAt.plus(accessTtl);
        vmsToken = vt.value();
        vmsExpiresAt = obtainedAt.plus(vmsTtl);
        everLoggedIn = true;
        backoff.reset();
        Duration delay = renewDelay(at.expiresIn().compareTo(vt.timeToLive()) < 0 ? at.expiresIn()
                : vt.timeToLive(), minRenewDelay);
        schedule(delay);
        if (replaces) {
            if (renewal) {
                LOG.info("renewed the XProtect VMS token; next renewal in {}", Durations.human(delay));
            } else {
                LOG.info("logged in to XProtect again{}; next renewal in {}",
                        failuresBefore > 0 ? " after " + failuresBefore + " failed attempt(s)" : "",
                        Durations.human(delay));
            }
            // Off the caller's thread and outside the lock, in order: a listener may take its own locks.
            String token = vt.value();
            renewer.execute(() -> notifyListeners(token));
        } else {
            LOG.info("logged in to XProtect at {} as '{}'; VMS token valid {}, access token {}, renewal in {}",
                    config.baseUrl(), config.getUsername(), Durations.human(vmsTtl), Durations.human(accessTtl),
                    Durations.human(delay));
        }
    }

    private void schedule(Duration delay) {
        if (renewal != null) {
            renewal.cancel(false);
        }
        if (!closed) {
            renewal = renewer.schedule(this::renew, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    /** On the renewal thread: grant + Login with the old token, outside the lock so callers are not held up. */
    private void renew() {
        String current;
        synchronized (lock) {
            if (closed) {
                return;
            }
            Instant now = clock.instant();
            if (backoff.blocked(now)) {
                schedule(backoff.remaining(now));
                return;
            }
            current = vmsToken == null ? "" : vmsToken;
        }
        loginAttempts.incrementAndGet();
        Instant started = clock.instant();
        try {
            IdentityProvider.AccessToken at = idp.passwordGrant();
            ServerCommandService.VmsToken vt = soap.login(at.value(), instanceId, current);
            synchronized (lock) {
                if (closed) {
                    return;
                }
                renewals.incrementAndGet();
                install(at, vt, started, true);
            }
        } catch (IdentityProvider.CredentialsRefused | ServerCommandService.AccessTokenRefused e) {
            synchronized (lock) {
                String reason = e instanceof IdentityProvider.CredentialsRefused c ? c.reason
                        : "SOAP Login " + e.getMessage();
                credentialsRefused(clock.instant(), reason);
                schedule(backoff.remaining(clock.instant()));
            }
        } catch (RuntimeException e) {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                Duration d = backoff.unavailable(clock.instant(), e.getMessage());
                logOutage("XProtect token renewal failed: {}; retrying in {} (current token still valid for {})",
                        e.getMessage(), Durations.human(d),
                        Durations.human(vmsExpiresAt == null ? Duration.ZERO
                                : Duration.between(clock.instant(), vmsExpiresAt)));
                schedule(d);
            }
        }
    }

    /** WARN once per outage (the first failure), DEBUG for the retries that follow (style rule 11). */
    private void logOutage(String format, Object... args) {
        if (backoff.failures() <= 1) {
            LOG.warn(format, args);
        } else {
            LOG.debug(format, args);
        }
    }

    private void notifyListeners(String token) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(token);
            } catch (RuntimeException e) {
                LOG.warn("a VMS token listener failed: {}", Secrets.mask(String.valueOf(e.getMessage()), token));
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the XProtect session to " + config.baseUrl() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "VmsSession[" + config.baseUrl() + ", user=" + config.getUsername() + ", instanceId=" + instanceId
                + "]";
    }
}
