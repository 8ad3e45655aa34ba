package io.camrelay.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.support.Backoff;
import io.camrelay.support.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alerts to the webhook, one at a time and in order, from a bounded queue on a thread of its own: {@link
 * #offer} never blocks (a full queue drops the new alert, said once). A failed POST (no answer, 408, 429, 5xx) is
 * retried with {@link Backoff} until it is {@link #MAX_AGE} old; any other refusal (a 404 of a removed webhook, a 400
 * of a payload it does not take) is logged and dropped. The webhook URL is itself the secret of a Slack or Teams
 * webhook: logs show its scheme and host only.
 *
 * <p>The JDK's HTTP client, not Camel's HTTP producer: Camel brings no HTTP client to this application (its status
 * server is Vert.x, a server), camel-http would add Apache HttpClient 5 for one POST, and the VMS client already uses
 * the JDK's with per-request timeouts.
 */
final class WebhookSender implements AutoCloseable {

    /** Alerts waiting at most; past this the receiver has been away for long and new ones are dropped. */
    static final int CAPACITY = 100;
    /** An alert not delivered within this is news nobody needs any more. */
    static final Duration MAX_AGE = Duration.ofHours(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Of a refusal's body, what the log quotes. */
    private static final int MAX_QUOTED_BODY = 300;

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final ObjectMapper JSON = StreamStatusRegistry.jsonMapper();

    private record Queued(Alert alert, byte[] body, Instant queuedAt) {
    }

    /** What one POST came to. */
    private record Outcome(boolean delivered, boolean retry, String reason, long atLeastMillis) {
        static final Outcome DELIVERED = new Outcome(true, false, null, 0);
    }

    private final URI url;
    private final String shownUrl;
    private final Backoff backoff;
    private final Clock clock;
    private final HttpClient http;
    private final BlockingQueue<Queued> queue;
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final Thread thread;
    private volatile boolean overflowing;
    private volatile boolean running;
    /** Only the sender thread: whether the last attempt failed (the WARN is said once per outage). */
    private boolean failing;

    /** A sender with the standard queue, back-off (1 s doubling to 60 s) and timeouts. */
    WebhookSender(URI url) {
        this(url, new Backoff(1000, 60_000), CAPACITY, Clock.systemUTC());
    }

    WebhookSender(URI url, Backoff backoff, int capacity, Clock clock) {
        this.url = Objects.requireNonNull(url, "url");
        this.shownUrl = shown(url);
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
        this.thread = new Thread(this::run, "camrelay-alerts-sender");
        this.thread.setDaemon(true);
    }

    /** The webhook as logs show it: scheme and host, the rest masked. */
    static String shown(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority().replaceAll(".*@", Secrets.MASK + "@") + "/"
                + Secrets.MASK;
    }

    void start() {
        running = true;
        thread.start();
    }

    /** Queues {@code alert}; returns at once, false when the queue is full (the alert is dropped). */
    boolean offer(Alert alert) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert could not be written as JSON: " + e.getMessage(), e);
        }
        if (queue.offer(new Queued(alert, body, clock.instant()))) {
            if (overflowing && queue.size() < queue.remainingCapacity()) {
                overflowing = false;
            }
            return true;
        }
        if (!overflowing) {
            overflowing = true;
            LOG.warn("too many alerts are waiting for {} ({}); the alert about stream {} is dropped, and so are"
                    + " others until the webhook takes them again", shownUrl, CAPACITY, alert.stream());
        }
        return false;
    }

    /** The webhook. */
    URI url() {
        return url;
    }

    /** Alerts the webhook took so far. */
    int delivered() {
        return delivered.get();
    }

    /** POSTs tried so far. */
    int attempts() {
        return attempts.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty()) {
            LOG.info("{} alert(s) not delivered to {}: CamRelay is stopping", queue.size(), shownUrl);
        }
    }

    private void run() {
        while (running) {
            Queued q;
            try {
                q = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (!deliver(q)) {
                return;
            }
        }
    }

    /** Delivers {@code q} or gives it up; false when the sender is stopping. */
    private boolean deliver(Queued q) {
        while (running) {
            Outcome o = post(q);
            if (o == null) {
                return false;
            }
            if (o.delivered()) {
                delivered.incrementAndGet();
                backoff.reset();
                if (failing) {
                    failing = false;
                    LOG.info("alerts are delivered to {} again", shownUrl);
                }
                return true;
            }
            if (!o.retry()) {
                LOG.error("{} refused the alert about stream {} ({}): check camrelay.alerts.webhook-url; the alert is"
                        + " dropped", shownUrl, q.alert().stream(), o.reason());
                return true;
            }
            if (clock.instant().isAfter(q.queuedAt().plus(MAX_AGE))) {
                LOG.warn("the alert about stream {} is dropped: {} did not take it within {}", q.alert().stream(),
                        shownUrl, MAX_AGE.toHours() + " h");
                return true;
            }
            long delay = backoff.nextDelayMillis(o.atLeastMillis());
            if (!failing) {
                failing = true;
                LOG.warn("alerts cannot be delivered to {}: {}; retrying with back-off (next in {} ms)", shownUrl,
                        o.reason(), delay);
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return false;
    }

    /** One POST; null when interrupted. */
    private Outcome post(Queued q) {
        attempts.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8").header("User-Agent", "CamRelay")
                .POST(HttpRequest.BodyPublishers.ofByteArray(q.body())).build();
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readNBytes(MAX_QUOTED_BODY), StandardCharsets.UTF_8).strip();
            }
            int status = r.statusCode();
            if (status >= 200 && status < 300) {
                return Outcome.DELIVERED;
            }
            String reason = masked("HTTP " + status + (body.isEmpty() ? "" : ": " + body));
            if (status == 429) {
                long retryAfter = r.headers().firstValue("Retry-After").map(WebhookSender::seconds).orElse(0L);
                return new Outcome(false, true, reason, retryAfter * 1000);
            }
            return new Outcome(false, status == 408 || status >= 500, reason, 0);
        } catch (IOException e) {
            String message = e.getMessage();
            return new Outcome(false, true, masked(e.getClass().getSimpleName() + (message == null ? "" : ": "
                    + message)), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String masked(String text) {
        return Secrets.maskUrlsIn(Secrets.mask(text, url.toString()));
    }

    private static long seconds(String retryAfter) {
        try {
            return Math.max(0, Math.min(3600, Long.parseLong(retryAfter.strip())));
        } catch (NumberFormatException e) {
            return 0; // an HTTP date: the back-off decides
        }
    }
}
