package io.camrelay.imageserver.session;

import io.camrelay.imageserver.codec.ImageResponse;
import io.camrelay.imageserver.codec.ImageServerRequests;
import io.camrelay.imageserver.codec.XmlMessage;
import io.camrelay.vms.RecorderAddress;
import io.camrelay.vms.VmsAccess;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one camera's recording from {@code from} to {@code to} on one {@link RecorderConnection} (docs/protocols.md
 * §8): {@code goto} at the start, then {@code next}s, at most {@link PlaybackSettings#maxRequestsInFlight()} awaiting
 * their replies, and no further request while the owner takes no more ({@link PlaybackEvents#wantsMore()}), so what
 * is held is bounded whatever the range's length: as fast as the recorder sends and the owner takes. Token renewals go
 * out as {@code connectupdate} on the open socket (the connection's).
 *
 * <p>Replies are told apart by their {@code RequestId}: a GOP may come as one {@code ImageResponse} per picture (the
 * simulator; T1's multipart parts) or a reply may hold one picture; a body of several GenericByteData packets back to
 * back is split. Pictures are passed on in decode order: from the key frame at or before {@code from} (a GOP that
 * ends before {@code from}, the GOP {@code goto} answers for a time in a gap, is left out), each picture time once
 * (a repeated GOP adds nothing), until the first picture at or after {@code to}. The recording's end is a reply that
 * repeats the {@code Current} of the one before (reference §8.1: past the newest recording {@code next} repeats the
 * newest GOP), an empty body, or {@value #MAX_STALE_REPLIES} replies in a row without a new picture: never a spin.
 * Gaps need nothing: the reply's {@code Next} crosses them and so does {@code next}.
 *
 * <p>One attempt: a loss fails the playback (the owner decides whether to run it again); a privacy mask, an unknown
 * camera or a JPEG stream fail it as the problem they are. All state lives on one event loop.
 */
public final class PlaybackSession {

    /** How a playback ended. */
    public enum End {
        /** A picture at or after {@code to} arrived: the range is read. */
        TO_REACHED,
        /** The recorder has nothing after the last picture passed on (or nothing at all). */
        END_OF_RECORDING
    }

    private static final Logger LOG = LoggerFactory.getLogger(PlaybackSession.class);
    /** Replies in a row that bring no new picture before the recording counts as ended. */
    static final int MAX_STALE_REPLIES = 3;
    /** The most bytes of the GOP before {@code from} held until it is known whether it reaches {@code from}. */
    static final long MAX_HELD_BYTES = 64L * 1024 * 1024;
    private static final long MAX_WATCHDOG_PERIOD_MS = 1000;
    private static final int PICTURE_TIME_OFFSET = 20;
    private static final int FLAGS_OFFSET = 10;
    private static final long NO_REPLY = Long.MIN_VALUE;

    private final SessionSettings settings;
    private final PlaybackSettings playback;
    private final VmsAccess vms;
    private final EventLoop loop;
    private final Executor blocking;
    private final PlaybackEvents events;
    private final RecorderTls tls;
    private final RecorderDialer dialer;
    private final LongSupplier nanoClock;
    private final ConnectionEvents link = new Link();

    // Confined to the event loop.
    private RecorderConnection connection;
    private RecorderAddress recorder;
    private boolean done;
    private boolean gotoSent;
    /** Request ids sent whose replies are not known complete (the reply in progress included), in order. */
    private final ArrayDeque<Integer> awaited = new ArrayDeque<>();
    private long replyId = NO_REPLY;
    private long previousCurrent = NO_REPLY;
    private int replies;
    private boolean replyBroughtPictures;
    private int staleReplies;
    private long lastPictureTime = Long.MIN_VALUE;
    /** Whether a picture at or after {@code from} was passed on (then everything after it is). */
    private boolean reachedFrom;
    private final List<byte[]> held = new ArrayList<>();
    private long heldBytes;
    private long lastActivityNanos;
    private ScheduledFuture<?> watchdog;

    // Written on the event loop, read by status.
    private volatile long pictures;
    private volatile long bytes;
    private volatile long lastPictureTimeSeen = Long.MIN_VALUE;

    public PlaybackSession(SessionSettings settings, PlaybackSettings playback, VmsAccess vms, EventLoop loop,
            Executor blocking, PlaybackEvents events) {
        this(settings, playback, vms, loop, blocking, events,
                RecorderDialer.tcp(loop, Objects.requireNonNull(settings, "settings").connectTimeoutMs()),
                System::nanoTime);
    }

    /** The test seam: sockets from {@code dialer}, time from {@code nanoClock}. */
    PlaybackSession(SessionSettings settings, PlaybackSettings playback, VmsAccess vms, EventLoop loop,
            Executor blocking, PlaybackEvents events, RecorderDialer dialer, LongSupplier nanoClock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.playback = Objects.requireNonNull(playback, "playback");
        this.vms = Objects.requireNonNull(vms, "vms");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.events = Objects.requireNonNull(events, "events");
        this.tls = new RecorderTls(settings.trustAllCertificates());
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Connects in the background; the outcome arrives as events. */
    public void start() {
        onLoop(() -> {
            if (done || connection != null) {
                return;
            }
            LOG.debug("playback of camera {} from {} to {}", settings.cameraId(), Instant.ofEpochMilli(
                    playback.fromMs()), Instant.ofEpochMilli(playback.toMs()));
            connection = new RecorderConnection(settings, vms, loop, blocking, tls, dialer, link);
            connection.open();
        });
    }

    /** The owner takes pictures again: requests go out up to the limit. Any thread. */
    public void resume() {
        try {
            onLoop(this::topUp);
        } catch (RejectedExecutionException e) {
            LOG.debug("event loop shut down; playback of camera {} not resumed", settings.cameraId());
        }
    }

    /** Closes the playback without reporting anything more; completes when the socket is closed. */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try {
            onLoop(() -> {
                done = true;
                closeConnection().whenComplete((ignored, error) -> closed.complete(null));
            });
        } catch (RejectedExecutionException e) {
            closed.complete(null);
        }
        return closed;
    }

    /** Pictures passed on so far. */
    public long picturesReceived() {
        return pictures;
    }

    /** GenericByteData bytes passed on so far. */
    public long bytesReceived() {
        return bytes;
    }

    /** The picture time of the last picture passed on, ms UTC, or {@link Long#MIN_VALUE} before the first. */
    public long lastPictureTime() {
        return lastPictureTimeSeen;
    }

    private void topUp() {
        RecorderConnection open = connection;
        while (!done && open != null && gotoSent && awaited.size() < playback.maxRequestsInFlight()
                && events.wantsMore()) {
            open.send(id -> {
                awaited.add(id);
                return ImageServerRequests.next(id);
            });
        }
    }

    private void onImage(ImageResponse response) {
        if (done) {
            return;
        }
        lastActivityNanos = nanoClock.getAsLong();
        Long id = number(response.header("RequestId"));
        if (id == null || id != replyId) {
            replyStarted(id == null ? NO_REPLY : id, response);
            if (done) {
                return;
            }
        }
        byte[] body = response.body();
        switch (Payload.classify(body)) {
            case EMPTY -> finish(End.END_OF_RECORDING); // empty database, or nothing more (§8.1)
            case VIDEO_PACKET -> picture(body);
            case LENGTH_MISMATCH -> {
                List<byte[]> packets = Payload.splitPackets(body);
                if (packets == null) {
                    lost("recorder " + RecorderConnection.describe(recorder) + " sent " + Payload.describe(body));
                    return;
                }
                for (int i = 0; i < packets.size() && !done; i++) {
                    picture(packets.get(i));
                }
            }
            case JPEG -> fail(SessionProblem.UNSUPPORTED_PAYLOAD, "camera " + settings.cameraId() + " has JPEG "
                    + "recordings, not H.264 video: CamRelay exports the camera's H.264 as recorded; set the camera's "
                    + "stream to H.264 in the Management Client (recordings made before stay JPEG)", null);
            default -> fail(SessionProblem.UNSUPPORTED_PAYLOAD, "camera " + settings.cameraId() + " has recordings of "
                    + Payload.describe(body) + ", not GenericByteData video stream packets: set the camera's stream "
                    + "to H.264 in the Management Client", null);
        }
    }

    /** A reply starts: the one before it is complete, and with it every request sent before this one. */
    private void replyStarted(long id, ImageResponse response) {
        if (replyId != NO_REPLY || replies > 0) {
            staleReplies = replyBroughtPictures ? 0 : staleReplies + 1;
            if (staleReplies >= MAX_STALE_REPLIES) {
                finish(End.END_OF_RECORDING);
                return;
            }
        }
        if (id == NO_REPLY) {
            awaited.poll(); // no RequestId: one response per reply
        } else {
            while (!awaited.isEmpty() && awaited.peek() < id) {
                awaited.poll();
            }
        }
        replyId = id;
        replyBroughtPictures = false;
        Long current = number(response.header("Current"));
        boolean repeated = replies > 0 && current != null && current == previousCurrent;
        previousCurrent = current == null ? NO_REPLY : current;
        replies++;
        if (repeated) {
            // past the newest recording the recorder answers the newest GOP again (§8.1)
            finish(End.END_OF_RECORDING);
            return;
        }
        topUp();
    }

    private void picture(byte[] packet) {
        long time = u64(packet, PICTURE_TIME_OFFSET);
        boolean key = (packet[FLAGS_OFFSET + 1] & 1) != 0;
        if (time >= playback.toMs()) {
            finish(End.TO_REACHED);
            return;
        }
        if (time <= lastPictureTime) {
            return; // passed on already: a repeated GOP
        }
        if (!reachedFrom) {
            // the GOP before from is held until one of its pictures reaches from: a GOP that ends before from (the
            // last one before a gap that from falls into) is not part of the range, the key frame of one that reaches
            // it is needed to decode it
            if (key) {
                held.clear();
                heldBytes = 0;
            }
            if (held.isEmpty() && !key) {
                return; // no key frame before it: it cannot be decoded
            }
            held.add(packet);
            heldBytes += packet.length;
            if (heldBytes > MAX_HELD_BYTES) {
                held.clear();
                heldBytes = 0;
            }
            if (time < playback.fromMs() || held.isEmpty()) {
                return;
            }
            reachedFrom = true;
            List<byte[]> gop = List.copyOf(held);
            held.clear();
            heldBytes = 0;
            for (byte[] p : gop) {
                deliver(p, u64(p, PICTURE_TIME_OFFSET));
            }
            return;
        }
        deliver(packet, time);
    }

    private void deliver(byte[] packet, long time) {
        lastPictureTime = time;
        lastPictureTimeSeen = time;
        replyBroughtPictures = true;
        pictures++;
        bytes += packet.length;
        events.picture(packet, nanoClock.getAsLong());
    }

    private void finish(End end) {
        if (done) {
            return;
        }
        done = true;
        held.clear();
        closeConnection();
        LOG.debug("playback of camera {} ended ({}) after {} pictures", settings.cameraId(), end, pictures);
        events.finished(end);
    }

    private void lost(String reason) {
        fail(null, "ImageServer playback of camera " + settings.cameraId() + " failed: " + reason
                + "; check the recording server and the network to it, then export again", null);
    }

    private void fail(SessionProblem problem, String message, RuntimeException cause) {
        if (done) {
            return;
        }
        done = true;
        held.clear();
        closeConnection();
        LOG.debug("{}", message);
        events.failed(problem, message, cause);
    }

    private void checkNoData() {
        if (done) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (awaited.isEmpty() || !events.wantsMore()) {
            // nothing asked for, or the owner is busy: the recorder owes nothing now
            lastActivityNanos = now;
            return;
        }
        long silentMs = TimeUnit.NANOSECONDS.toMillis(now - lastActivityNanos);
        if (silentMs >= settings.noDataTimeoutMs()) {
            lost("no reply from recorder " + RecorderConnection.describe(recorder) + " for " + silentMs
                    + " ms (limit " + settings.noDataTimeoutMs() + " ms)");
        }
    }

    private CompletableFuture<Void> closeConnection() {
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
        RecorderConnection open = connection;
        connection = null;
        return open == null ? CompletableFuture.completedFuture(null) : open.close();
    }

    private void onLoop(Runnable task) {
        loop.execute(() -> CameraMdc.run(settings.cameraId(), task));
    }

    private static Long number(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long u64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    /** What the connection reports; a closed connection reports nothing. */
    private final class Link implements ConnectionEvents {
        @Override
        public void connecting(RecorderAddress address) {
            recorder = address;
            lastActivityNanos = nanoClock.getAsLong();
            long period = Math.min(MAX_WATCHDOG_PERIOD_MS, Math.max(1, settings.noDataTimeoutMs() / 4));
            watchdog = loop.scheduleAtFixedRate(() -> CameraMdc.run(settings.cameraId(), PlaybackSession.this::checkNoData),
                    period, period, TimeUnit.MILLISECONDS);
        }

        @Override
        public void connected() {
            LOG.debug("recorder accepted connect; sending goto {}", playback.fromMs());
            lastActivityNanos = nanoClock.getAsLong();
            gotoSent = true;
            connection.send(id -> {
                awaited.add(id);
                return ImageServerRequests.goTo(id, playback.fromMs());
            });
            topUp();
        }

        @Override
        public void image(ImageResponse image) {
            CameraMdc.run(settings.cameraId(), () -> onImage(image));
        }

        @Override
        public void document(XmlMessage document) {
            // livepackages and replies the connection does not handle carry nothing for playback
        }

        @Override
        public void lost(String reason) {
            connection = null;
            PlaybackSession.this.lost(reason);
        }

        @Override
        public void problem(SessionProblem problem, String message, RuntimeException cause) {
            connection = null;
            fail(problem, message, cause);
        }
    }
}
