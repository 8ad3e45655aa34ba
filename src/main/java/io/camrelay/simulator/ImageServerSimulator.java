package io.camrelay.simulator;

import io.camrelay.imageserver.codec.ImageServerDecoder;
import io.camrelay.imageserver.codec.ImageServerLimits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated recording server's ImageServer (docs/protocols.md §1, §2): answers {@code connect},
 * {@code live}, {@code connectupdate} and {@code stop}, and pushes the camera's bundled clip in a loop at its frame
 * rate as GenericByteData (or JPEG) ImageResponses with livepackage status documents in between. Tokens are checked
 * with the {@link ImageServerBackend}; a session whose token expires without a {@code connectupdate} is closed, as a
 * recorder does. Faults can be injected per camera. Plain TCP on its own small event loop group.
 */
public final class ImageServerSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImageServerSimulator.class);
    private static final int EVENT_LOOP_THREADS = 2;

    private final ImageServerBackend backend;
    /** Each clip loaded once and shared by all cameras playing it (pictures are never copied per camera). */
    private final Map<ClipSource, List<ClipFrames.Frame>> clips = new ConcurrentHashMap<>();
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder framesSkipped = new LongAdder();
    private final LongAdder framesLate = new LongAdder();
    private final LongAccumulator maxLatenessNanos = new LongAccumulator(Math::max, 0);
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
            clips.put(clip, ClipFrames.load(clip));
        }
        group = new NioEventLoopGroup(EVENT_LOOP_THREADS);
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ImageServerDecoder(ImageServerLimits.DEFAULTS),
                                new SimulatedLiveSession(ImageServerSimulator.this));
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

    List<ClipFrames.Frame> frames(ClipSource clip) {
        return clips.computeIfAbsent(clip, ClipFrames::load);
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
