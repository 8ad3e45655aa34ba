package io.camrelay.imageserver.session;

import io.camrelay.imageserver.codec.ImageResponse;
import io.camrelay.imageserver.codec.ImageServerRequests;
import io.camrelay.imageserver.codec.XmlMessage;
import io.camrelay.vms.RecordedSequence;
import io.camrelay.vms.RecorderAddress;
import io.camrelay.vms.VmsAccess;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Lists a camera's recorded sequences with the ImageServer {@code alarms} request (docs/protocols.md §8), for
 * recorders that do not serve the RecorderCommandService: connect, then {@code alarms} for the window's middle with
 * half its span each side and at most {@value #PAGE} entries, again from the last end while pages come back full,
 * then close (as the official sample does, on a connection of its own). One attempt; it fails with the reason when
 * the recorder cannot be reached, refuses, or does not answer within the no-data timeout.
 */
public final class AlarmsQuery {

    /** Entries asked for per request. */
    static final int PAGE = 1000;
    /** Requests at most for one listing. */
    static final int MAX_PAGES = 100;

    private final SessionSettings settings;
    private final VmsAccess vms;
    private final EventLoop loop;
    private final Executor blocking;
    private final RecorderDialer dialer;
    private final long toMs;
    private final CompletableFuture<List<RecordedSequence>> result = new CompletableFuture<>();
    private final List<RecordedSequence> found = new ArrayList<>();
    private RecorderConnection connection;
    private long pageFromMs;
    private int pages;
    private ScheduledFuture<?> timeout;

    public AlarmsQuery(SessionSettings settings, VmsAccess vms, EventLoop loop, Executor blocking, long fromMs,
            long toMs) {
        this(settings, vms, loop, blocking, RecorderDialer.tcp(loop, settings.connectTimeoutMs()), fromMs, toMs);
    }

    AlarmsQuery(SessionSettings settings, VmsAccess vms, EventLoop loop, Executor blocking, RecorderDialer dialer,
            long fromMs, long toMs) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.vms = Objects.requireNonNull(vms, "vms");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.dialer = dialer;
        this.pageFromMs = fromMs;
        this.toMs = toMs;
    }

    /** Runs the query; the future completes with the sequences (oldest first) or the failure. */
    public CompletableFuture<List<RecordedSequence>> run() {
        loop.execute(() -> {
            connection = new RecorderConnection(settings, vms, loop, blocking, new RecorderTls(
                    settings.trustAllCertificates()), dialer, new Link());
            timeout = loop.schedule(() -> fail("recorder did not answer alarms within "
                    + (settings.connectTimeoutMs() + settings.noDataTimeoutMs()) + " ms"),
                    settings.connectTimeoutMs() + settings.noDataTimeoutMs(), TimeUnit.MILLISECONDS);
            connection.open();
        });
        return result;
    }

    private void ask() {
        long span = Math.max(1, (toMs - pageFromMs + 1) / 2);
        long center = pageFromMs + span;
        connection.send(id -> ImageServerRequests.alarms(id, center, span, PAGE));
    }

    private void onReply(XmlMessage reply) {
        List<Map<String, String>> alarms = reply.alarms();
        long lastEnd = pageFromMs;
        for (Map<String, String> a : alarms) {
            try {
                long start = Long.parseLong(a.getOrDefault("starttime", "").trim());
                long end = Long.parseLong(a.getOrDefault("endtime", "").trim());
                found.add(new RecordedSequence(Instant.ofEpochMilli(start), Instant.ofEpochMilli(Math.max(start,
                        end))));
                lastEnd = Math.max(lastEnd, end);
            } catch (NumberFormatException e) {
                // an alarm without numeric times lists nothing usable
            }
        }
        pages++;
        if (alarms.size() >= PAGE && lastEnd > pageFromMs && lastEnd < toMs && pages < MAX_PAGES) {
            pageFromMs = lastEnd;
            ask();
            return;
        }
        finish();
    }

    private void finish() {
        close();
        result.complete(List.copyOf(found));
    }

    private void fail(String reason) {
        close();
        result.completeExceptionally(new IllegalStateException("listing the recordings of camera "
                + settings.cameraId() + " with the ImageServer alarms request failed: " + reason));
    }

    private void close() {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private final class Link implements ConnectionEvents {
        @Override
        public void connecting(RecorderAddress recorder) {
        }

        @Override
        public void connected() {
            ask();
        }

        @Override
        public void image(ImageResponse image) {
        }

        @Override
        public void document(XmlMessage document) {
            if (XmlMessage.METHOD_RESPONSE.equals(document.root()) && "alarms".equalsIgnoreCase(document.methodName())) {
                onReply(document);
            }
        }

        @Override
        public void lost(String reason) {
            connection = null;
            fail(reason);
        }

        @Override
        public void problem(SessionProblem problem, String message, RuntimeException cause) {
            connection = null;
            fail(message);
        }
    }
}
