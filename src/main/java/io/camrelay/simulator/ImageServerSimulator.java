package io.camrelay.simulator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated recording server's ImageServer (docs/simulator.md; reference §1, §2): answers {@code connect},
 * {@code live}, {@code connectupdate} and {@code stop}, and pushes the camera's clip in a loop as GenericByteData (or
 * JPEG) ImageResponses with livepackage keepalives in between, as a 2025 R3 recorder does: B-frame pictures stamped
 * with bursty arrival times, live starting with the pre-buffered GOP, the recorder's clock with its offset and steps,
 * the camera's privacy mask in every response (each per camera: {@link RecorderBehaviour}). It reads and writes the
 * wire format with its own code ({@link SimulatorRequestDecoder}, {@link SimulatorWire}), never CamRelay's, and
 * counts every request the protocol does not allow ({@link #protocolViolations()}). Tokens are checked with the
 * {@link ImageServerBackend}; a session whose token expires without a {@code connectupdate} is closed, as a recorder
 * does. Faults can be injected per camera. Plain TCP on its own small event loop group.
 */
public final class ImageServerSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImageServerSimulator.class);
    private static final int EVENT_LOOP_THREADS = 2;
    /**
     * Send buffer bounds of a session: the pre-buffered GOP goes out at once (a 1080p GOP is about 1 MB), so a
     * reader is "slow" (and loses pictures) only past this.
     */
    private static final WriteBufferWaterMark SEND_BUFFER = new WriteBufferWaterMark(2 * 1024 * 1024,
            8 * 1024 * 1024);

    private final ImageServerBackend backend;
    /** Each clip loaded once and shared by all cameras playing it (pictures are never copied per camera). */
    private final Map<ClipSource, ClipFrames.Loaded> clips = new ConcurrentHashMap<>();
    private final Map<String, SimulatedCameraState> cameraStates = new ConcurrentHashMap<>();
    private final LongAdder protocolViolations = new LongAdder();
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder framesSkipped = new LongAdder();
    private final LongAdder framesLate = new LongAdder();
    private final LongAccumulator maxLatenessNanos = new LongAccumulator(Math::max, 0);
    private final LongAccumulator maxRequestsQueued = new LongAccumulator(Math::max, 0);
    private final LongAdder playbackPictures = new LongAdder();
    private final LongAdder sequenceQueries = new LongAdder();
    private final Map<String, Set<SimulatedLiveSession>> sessions = new ConcurrentHashMap<>();
    private final Set<String> refuseNextConnect = ConcurrentHashMap.newKeySet();
    /** The picture faults of each camera, lasting until cleared. */
    private final Map<String, Set<Fault>> pictureFaults = new ConcurrentHashMap<>();
    private volatile ServerBootstrap bootstrap;
    private volatile String host;
    private final Map<String, AtomicInteger> connects = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> connectUpdates = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> stops = new ConcurrentHashMap<>();
    private EventLoopGroup group;
    private volatile Channel serverChannel;
    /** The port listened on, known also while it is down. */
    private volatile int port;

    public ImageServerSimulator(ImageServerBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** Loads the clips and listens on {@code host:port} ({@code port} 0 = an ephemeral port). */
    public void start(String host, int port) throws IOException {
        if (serverChannel != null) {
            throw new IllegalStateException("ImageServer simulator already started on port " + port());
        }
        for (SimulatorClip clip : SimulatorClip.values()) {
            clips.put(clip, ClipFrames.loadWithOrder(clip));
        }
        group = new NioEventLoopGroup(EVENT_LOOP_THREADS);
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, SEND_BUFFER)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // the recorder's RecorderCommandService SOAP shares the ImageServer port (reference §8.2 b)
                        ch.pipeline().addLast(new SimulatorPortSniffer(ImageServerSimulator.this));
                    }
                });
        try {
            serverChannel = bootstrap.bind(host, port).sync().channel();
            this.bootstrap = bootstrap;
            this.host = host;
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
            throw new IOException("ImageServer simulator cannot listen on " + host + ":" + port + ": " + e.getMessage(),
                    e);
        }
        LOG.info("ImageServer simulator listening on {}:{}", host, port());
    }

    /** The port it listens on. */
    public int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("ImageServer simulator not started");
        }
        if (!serverChannel.isOpen() && port > 0) {
            return port; // down for a while (downFor): the port it will listen on again
        }
        port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        return port;
    }

    /**
     * Makes the open sessions of {@code cameraId} fail as {@code fault} describes; {@link Fault#WRONG_TOKEN} refuses
     * the camera's next {@code connect} instead. Other cameras are not touched.
     */
    public void inject(String cameraId, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        LOG.info("ImageServer simulator: injecting {} on camera {}", fault, cameraId);
        if (fault == Fault.WRONG_TOKEN) {
            refuseNextConnect.add(cameraId);
            return;
        }
        if (fault == Fault.CORRUPT_PICTURES || fault == Fault.FOREIGN_PACKETS || fault == Fault.MULTI_PACKET) {
            pictureFaults.computeIfAbsent(cameraId, k -> ConcurrentHashMap.newKeySet()).add(fault);
            return;
        }
        for (SimulatedLiveSession session : sessions.getOrDefault(cameraId, Set.of())) {
            session.inject(fault);
        }
    }

    /**
     * Gives camera {@code cameraId} a privacy mask, or takes it away: from the next picture on, every response of its
     * sessions says {@code PrivacyMask: grid;…} instead of {@code none} (reference §1.5).
     */
    public void setPrivacyMask(String cameraId, boolean masked) {
        LOG.info("ImageServer simulator: camera {} {} a privacy mask", cameraId, masked ? "gets" : "loses");
        state(cameraId).setMasked(masked);
    }

    /**
     * Steps the clock of camera {@code cameraId}'s recorder by {@code step} (an NTP correction, either way): the
     * picture times of later pictures jump by it (reference §1.7).
     */
    public void stepRecorderClock(String cameraId, Duration step) {
        LOG.info("ImageServer simulator: the recorder clock of camera {} steps by {}", cameraId, step);
        state(cameraId).stepClock(step);
    }

    /**
     * Disconnects camera {@code cameraId} from its recorder, or connects it again: while disconnected its sessions
     * send no pictures and livepackages say status item 5 = 1 (reference §1.3), new sessions too; once connected
     * again pictures resume at the next key frame.
     */
    public void setCameraConnected(String cameraId, boolean connected) {
        LOG.info("ImageServer simulator: camera {} {} its recorder", cameraId, connected ? "reconnects to"
                : "is disconnected from");
        state(cameraId).setConnected(connected);
        for (SimulatedLiveSession session : sessions.getOrDefault(cameraId, Set.of())) {
            session.cameraConnectionChanged();
        }
    }

    /** Pictures of {@code cameraId} sent with {@code PrivacyMask: none}, over all its sessions. */
    public long unmaskedPicturesSent(String cameraId) {
        return state(cameraId).unmaskedPictures();
    }

    /** Pictures of {@code cameraId} sent with a privacy mask, over all its sessions. */
    public long maskedPicturesSent(String cameraId) {
        return state(cameraId).maskedPictures();
    }

    /** Requests received that the protocol does not allow (each logged at WARN); 0 for a client that keeps it. */
    public long protocolViolations() {
        return protocolViolations.sum();
    }

    /** Ends the picture faults of {@code cameraId}: its pictures are sent as they are again. */
    public void clearFaults(String cameraId) {
        pictureFaults.remove(cameraId);
    }

    /**
     * The recording server is down for {@code duration}: every session is closed and connections are refused (the
     * port is not listened on) until it is up again on the same port.
     */
    public void downFor(java.time.Duration duration) {
        Channel listening = serverChannel;
        if (listening == null) {
            throw new IllegalStateException("ImageServer simulator not started");
        }
        int port = port();
        LOG.info("ImageServer simulator: recorder down for {} ms", duration.toMillis());
        listening.close().syncUninterruptibly();
        sessions.values().forEach(set -> set.forEach(session -> session.inject(Fault.DROP)));
        group.schedule(() -> {
            try {
                serverChannel = bootstrap.bind(host, port).sync().channel();
                LOG.info("ImageServer simulator: recorder up again on port {}", port);
            } catch (Exception e) {
                LOG.warn("ImageServer simulator: cannot listen on port {} again: {}", port, e.toString());
            }
        }, duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether {@code fault} (a picture fault) is on for {@code cameraId}. */
    boolean pictureFault(String cameraId, Fault fault) {
        Set<Fault> on = pictureFaults.get(cameraId);
        return on != null && on.contains(fault);
    }

    /** The most requests that waited for their replies on one connection at once (bounded pipelining, §8.1). */
    public long maxRequestsQueued() {
        return maxRequestsQueued.get();
    }

    /** Pictures sent in replies to {@code goto} and {@code next}, over all cameras. */
    public long playbackPicturesSent() {
        return playbackPictures.sum();
    }

    /** How many listings ({@code SequencesGet}, {@code alarms}) were answered. */
    public long sequenceQueries() {
        return sequenceQueries.sum();
    }

    /**
     * How many pictures an export of camera {@code cameraId} from {@code fromMs} to {@code toMs} (ms UTC, recorder
     * clock) holds: from the key frame {@code goto} answers for {@code fromMs} to the last picture before {@code toMs},
     * gaps left out (docs/simulator.md, "Recordings").
     */
    public long recordedPictures(String cameraId, long fromMs, long toMs) {
        return recording(cameraId).picturesBetween(fromMs, toMs);
    }

    /** The camera's recorded sequences overlapping [{@code fromMs}, {@code toMs}] as [begin, end] ms pairs. */
    public java.util.List<long[]> recordedSequences(String cameraId, long fromMs, long toMs) {
        return recording(cameraId).sequences(fromMs, toMs).stream().map(s -> new long[] {s.beginMs(), s.endMs()})
                .toList();
    }

    /** The recording of camera {@code cameraId} as its own clip plays it. */
    SimulatedRecording recording(String cameraId) {
        SimulatedCameraState camera = state(cameraId);
        ClipSource clip = camera.camera().clip();
        ClipFrames.Loaded loaded = frames(clip);
        return new SimulatedRecording(PictureSchedule.of(loaded, clip.fps(), camera.camera().recorder().burstyStamps()),
                camera, backend.recordingLayout());
    }

    /** How many {@code connect}s for {@code cameraId} were accepted so far. */
    public int acceptedConnects(String cameraId) {
        return connects.getOrDefault(cameraId, new AtomicInteger()).get();
    }

    /** How many {@code connectupdate}s for {@code cameraId} were accepted so far. */
    public int acceptedConnectUpdates(String cameraId) {
        return connectUpdates.getOrDefault(cameraId, new AtomicInteger()).get();
    }

    /** How many {@code stop} requests sessions of {@code cameraId} sent so far. */
    public int stopsReceived(String cameraId) {
        return stops.getOrDefault(cameraId, new AtomicInteger()).get();
    }

    /** How many sessions of {@code cameraId} are open now. */
    public int openSessions(String cameraId) {
        return sessions.getOrDefault(cameraId, Set.of()).size();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
        sessions.clear();
    }

    ImageServerBackend backend() {
        return backend;
    }

    /**
     * Loads {@code clip} now unless already loaded (bundled clips are loaded by {@link #start}); call it before cameras
     * connect so that a big clip file is not read on an event loop.
     */
    public void preload(ClipSource clip) {
        frames(clip);
    }

    /** How well the sessions kept their frame rate so far (the simulator checks its own pacing under load). */
    public SimulatorPacing pacing() {
        return new SimulatorPacing(framesSent.sum(), framesSkipped.sum(), framesLate.sum(),
                TimeUnit.NANOSECONDS.toMicros(maxLatenessNanos.get()));
    }

    ClipFrames.Loaded frames(ClipSource clip) {
        return clips.computeIfAbsent(clip, ClipFrames::loadWithOrder);
    }

    /** The recorder's state of camera {@code cameraId}, if the backend has the camera. */
    Optional<SimulatedCameraState> camera(String cameraId) {
        return backend.camera(cameraId).map(c -> cameraStates.computeIfAbsent(c.id(),
                id -> new SimulatedCameraState(c)));
    }

    private SimulatedCameraState state(String cameraId) {
        return camera(cameraId).orElseThrow(() -> new IllegalArgumentException("the simulated XProtect has no "
                + "camera " + cameraId));
    }

    void protocolViolation(String what) {
        protocolViolations.increment();
        LOG.warn("ImageServer simulator: a client broke the protocol: {}", what);
    }

    void frameSent(long latenessNanos, long frameIntervalNanos, boolean skipped) {
        if (skipped) {
            framesSkipped.increment();
        } else {
            framesSent.increment();
        }
        if (latenessNanos > frameIntervalNanos) {
            framesLate.increment();
        }
        maxLatenessNanos.accumulate(latenessNanos);
    }

    void requestsQueued(int queued) {
        maxRequestsQueued.accumulate(queued);
    }

    void playbackPicturesSent(long pictures) {
        playbackPictures.add(pictures);
    }

    void sequenceQueryAnswered() {
        sequenceQueries.increment();
    }

    boolean takeRefusal(String cameraId) {
        return refuseNextConnect.remove(cameraId);
    }

    void connected(String cameraId, SimulatedLiveSession session) {
        connects.computeIfAbsent(cameraId, k -> new AtomicInteger()).incrementAndGet();
        sessions.computeIfAbsent(cameraId, k -> ConcurrentHashMap.newKeySet()).add(session);
    }

    void connectUpdated(String cameraId) {
        connectUpdates.computeIfAbsent(cameraId, k -> new AtomicInteger()).incrementAndGet();
    }

    void stopped(String cameraId) {
        stops.computeIfAbsent(cameraId, k -> new AtomicInteger()).incrementAndGet();
    }

    void closed(String cameraId, SimulatedLiveSession session) {
        Set<SimulatedLiveSession> set = sessions.get(cameraId);
        if (set != null) {
            set.remove(session);
        }
    }
}
