package io.camrelay.simulator;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated XProtect on 127.0.0.1 for {@code --demo} and the tests: identity provider, SOAP Login/Logout,
 * Configuration REST (cameras, hardware, recording server, streams, RTMP Streamer plugin items), Events and Alarms
 * REST on one HTTP port, and the ImageServer ({@link ImageServerSimulator}) on another. Tokens expire after their
 * configured TTLs; what CamRelay posted and how often it logged in can be read back.
 *
 * <pre>{@code
 * try (XProtectSimulator vms = XProtectSimulator.builder().vmsTokenTtl(Duration.ofSeconds(20)).build().start()) {
 *     config.setUrl(vms.baseUrl()); config.setUsername(vms.username()); config.setPassword(vms.password());
 * }
 * }</pre>
 */
public final class XProtectSimulator implements ImageServerBackend, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(XProtectSimulator.class);

    /** The demo's H.264 Constrained Baseline camera, "Demo Camera". */
    public static final String DEMO_CAMERA_ID = "638bc8f1-cf28-4329-b8e6-5bba37bdb48f";
    /** An H.264 High camera with B-frames. */
    public static final String BFRAMES_CAMERA_ID = "7d3e6a52-1b2c-4d5e-8f90-a1b2c3d4e5f6";
    /** An H.265 camera (CamRelay refuses it unless H.265 is allowed). */
    public static final String HEVC_CAMERA_ID = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d";
    /** A JPEG camera (CamRelay must refuse it with a clear message). */
    public static final String JPEG_CAMERA_ID = "2f1e0d9c-8b7a-4695-a4b3-c2d1e0f9a8b7";
    /** The one simulated recording server. */
    public static final String RECORDING_SERVER_ID = "4c5d6e7f-8091-4a2b-b3c4-d5e6f7a8b9c0";
    static final String SITE_ID = "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
    /** Default basic user of the simulator. */
    public static final String DEFAULT_USERNAME = "camrelay";
    /** Default password of the simulator's basic user. */
    public static final String DEFAULT_PASSWORD = "camrelay-demo";
    /** Real defaults: access token 1 h (docs/protocols.md §3.1), VMS token 4 h (§3.2). */
    public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_VMS_TOKEN_TTL = Duration.ofHours(4);
    private static final String HOST = "127.0.0.1";

    private final List<SimulatedCamera> cameras;
    private final String username;
    private volatile String password;
    private final Duration accessTokenTtl;
    private final Duration vmsTokenTtl;
    private final boolean userDefinedEventCreation;
    private final int httpPort;
    private final int requestedImageServerPort;
    private final SSLContext tls;
    private final RecordingLayout recordingLayout;
    private final SimulatedTokens tokens = new SimulatedTokens(Clock.systemUTC());
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger refusedTokenRequests = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger renewals = new AtomicInteger();
    private final AtomicInteger logouts = new AtomicInteger();
    private final SimulatedEventLog eventLog = new SimulatedEventLog();
    private volatile List<SimulatedPluginItem> pluginItems;
    private volatile boolean mipKindsAvailable;

    private volatile HttpServer http;
    /** The HTTP port, known also while the management server is down. */
    private volatile int boundHttpPort;
    private ExecutorService httpThreads;
    private ImageServerSimulator imageServer;

    private XProtectSimulator(Builder b) {
        this.cameras = List.copyOf(b.cameras);
        this.username = b.username;
        this.password = b.password;
        this.accessTokenTtl = b.accessTokenTtl;
        this.vmsTokenTtl = b.vmsTokenTtl;
        this.mipKindsAvailable = b.mipKindsAvailable;
        this.pluginItems = List.copyOf(b.pluginItems);
        this.userDefinedEventCreation = b.userDefinedEventCreation;
        this.httpPort = b.httpPort;
        this.requestedImageServerPort = b.imageServerPort;
        this.tls = b.tls;
        this.recordingLayout = b.recordingLayout;
        b.userDefinedEvents.forEach(this::createUserDefinedEvent);
    }

    /** A builder with the demo cameras, the default user and real token lifetimes. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the demo camera is on the map (the SDK reference's example camera, near Copenhagen). */
    public static final String DEMO_CAMERA_GIS_POINT = "POINT (12.377 55.658)";

    /**
     * The demo cameras: "Demo Camera" (H.264 baseline, at {@value #DEMO_CAMERA_GIS_POINT}), "B-frame Camera" (H.264
     * High, B-frames), "H.265 Camera" and "JPEG Camera" (not placed on the map).
     */
    public static List<SimulatedCamera> demoCameras() {
        return List.of(
                camera(DEMO_CAMERA_ID, "Demo Camera", SimulatorClip.H264_BASELINE).withGisPoint(DEMO_CAMERA_GIS_POINT),
                camera(BFRAMES_CAMERA_ID, "B-frame Camera", SimulatorClip.H264_BFRAMES),
                camera(HEVC_CAMERA_ID, "H.265 Camera", SimulatorClip.H265),
                camera(JPEG_CAMERA_ID, "JPEG Camera", SimulatorClip.JPEG));
    }

    /** A camera with a stream reference id derived from its id. */
    public static SimulatedCamera camera(String id, String name, ClipSource clip) {
        String streamId = UUID.nameUUIDFromBytes(("stream:" + id).getBytes(StandardCharsets.UTF_8)).toString();
        return new SimulatedCamera(id, name, clip, streamId);
    }

    /** Binds the HTTP server and the ImageServer on 127.0.0.1 and returns this simulator. */
    public XProtectSimulator start() throws IOException {
        imageServer = new ImageServerSimulator(this);
        imageServer.start(HOST, requestedImageServerPort);
        try {
            cameras.forEach(c -> {
                imageServer.preload(c.clip());
                imageServer.camera(c.id());
            });
            if (tls != null) {
                HttpsServer https = HttpsServer.create(new InetSocketAddress(HOST, httpPort), 50);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                http = https;
            } else {
                http = HttpServer.create(new InetSocketAddress(HOST, httpPort), 50);
            }
            httpThreads = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "xprotect-simulator-http");
                t.setDaemon(true);
                return t;
            });
            startHttp(httpPort);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("XProtect simulator listening on {} (ImageServer on port {}), {} cameras", baseUrl(),
                imageServerPort(), cameras.size());
        return this;
    }

    /** Listens for IDP, SOAP and REST on {@code port} (0: an ephemeral one). */
    private void startHttp(int port) throws IOException {
        HttpServer server;
        if (tls != null) {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(HOST, port), 50);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(new InetSocketAddress(HOST, port), 50);
        }
        server.setExecutor(httpThreads);
        server.createContext("/IDP/", new IdpEndpoint(this));
        server.createContext("/ManagementServer/", new ServerCommandEndpoint(this));
        server.createContext(RestEndpoint.PREFIX + "/", new RestEndpoint(this));
        server.start();
        http = server;
        boundHttpPort = server.getAddress().getPort();
    }

    /**
     * The management server is down for {@code duration} (maintenance): the identity provider, SOAP and the REST APIs
     * refuse connections (nothing listens) until they are back on the same port. Recorders keep serving the sessions
     * whose tokens are still valid, as XProtect's do.
     */
    public void downFor(Duration duration) {
        int port = httpPort();
        LOG.info("XProtect simulator: management server down for {} ms", duration.toMillis());
        http.stop(0);
        Thread up = new Thread(() -> {
            try {
                Thread.sleep(duration.toMillis());
                startHttp(port);
                LOG.info("XProtect simulator: management server up again on port {}", port);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                LOG.warn("XProtect simulator: cannot listen on port {} again: {}", port, e.toString());
            }
        }, "xprotect-simulator-up");
        up.setDaemon(true);
        up.start();
    }

    /** The management server / API gateway URL, e.g. {@code http://127.0.0.1:40123} ({@code https} with TLS). */
    public String baseUrl() {
        return (tls == null ? "http://" : "https://") + HOST + ":" + httpPort();
    }

    /** The HTTP port (IDP, SOAP, REST). */
    public int httpPort() {
        return boundHttpPort;
    }


    /** The ImageServer port the recording server's {@code webServerUri} names. */
    public int imageServerPort() {
        return imageServer.port();
    }

    /** The simulated ImageServer, for its own counters and hooks (started by {@link #start()}). */
    public ImageServerSimulator imageServer() {
        return imageServer;
    }

    /** The basic user's name. */
    public String username() {
        return username;
    }

    /** The basic user's password. */
    public String password() {
        return password;
    }

    /** Changes the password (an operator changed it): later grants with the old one get invalid_grant. */
    public void setPassword(String password) {
        this.password = Objects.requireNonNull(password, "password");
    }

    /** The simulated cameras. */
    public List<SimulatedCamera> cameras() {
        return cameras;
    }

    @Override
    public Optional<SimulatedCamera> camera(String cameraId) {
        return cameras.stream().filter(c -> c.id().equalsIgnoreCase(cameraId)).findFirst();
    }

    @Override
    public boolean tokenValid(String vmsToken) {
        return tokens.vmsValid(vmsToken);
    }

    @Override
    public RecordingLayout recordingLayout() {
        return recordingLayout;
    }

    /** Invalidates every VMS token issued so far (recorders then answer "Security token invalid"). */
    public void revokeVmsTokens() {
        tokens.revokeAllVms();
    }

    /** Invalidates every IDP access token issued so far (REST and SOAP then answer 401). */
    public void revokeAccessTokens() {
        tokens.revokeAllAccess();
    }

    /** Gives camera {@code cameraId} a privacy mask or takes it away ({@link ImageServerSimulator#setPrivacyMask}). */
    public void setPrivacyMask(String cameraId, boolean masked) {
        imageServer.setPrivacyMask(cameraId, masked);
    }

    /** Steps the clock of camera {@code cameraId}'s recorder ({@link ImageServerSimulator#stepRecorderClock}). */
    public void stepRecorderClock(String cameraId, Duration step) {
        imageServer.stepRecorderClock(cameraId, step);
    }

    /** Disconnects camera {@code cameraId} from its recorder or connects it again. */
    public void setCameraConnected(String cameraId, boolean connected) {
        imageServer.setCameraConnected(cameraId, connected);
    }

    /** Makes the ImageServer misbehave for {@code cameraId}. */
    public void inject(String cameraId, Fault fault) {
        imageServer.inject(cameraId, fault);
    }

    /** Token requests received on the IDP (granted or not). */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** Token requests refused with invalid_grant. */
    public int refusedTokenRequests() {
        return refusedTokenRequests.get();
    }

    /** SOAP Logins with an empty or unknown {@code currentToken}. */
    public int logins() {
        return logins.get();
    }

    /** SOAP Logins that renewed a token this simulator issued. */
    public int renewals() {
        return renewals.get();
    }

    /** SOAP Logouts. */
    public int logouts() {
        return logouts.get();
    }

    /** The events posted so far (oldest first, the last {@value SimulatedEventLog#MAX_RECORDED}). */
    public List<PostedEvent> events() {
        return eventLog.events();
    }

    /** The alarms posted so far (oldest first, the last {@value SimulatedEventLog#MAX_RECORDED}). */
    public List<PostedAlarm> alarms() {
        return eventLog.alarms();
    }

    /** User-defined events by name → id. */
    public Map<String, String> userDefinedEvents() {
        return eventLog.userDefinedEvents();
    }

    /** Replaces the RTMP Streamer plugin items (an operator edited them in the Management Client). */
    public void setPluginItems(List<SimulatedPluginItem> items) {
        this.pluginItems = List.copyOf(items);
    }

    /** Makes the {@code mipKinds} endpoint appear or disappear (404). */
    public void setMipKindsAvailable(boolean available) {
        this.mipKindsAvailable = available;
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop(0);
            http = null;
        }
        if (httpThreads != null) {
            httpThreads.shutdownNow();
        }
        if (imageServer != null) {
            imageServer.close();
        }
    }

    static String hardwareId(SimulatedCamera c) {
        return UUID.nameUUIDFromBytes(("hardware:" + c.id()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    SimulatedTokens tokens() {
        return tokens;
    }

    Duration accessTokenTtl() {
        return accessTokenTtl;
    }

    Duration vmsTokenTtl() {
        return vmsTokenTtl;
    }

    boolean credentialsMatch(String user, String pass) {
        return username.equals(user) && password.equals(pass);
    }

    boolean mipKindsAvailable() {
        return mipKindsAvailable;
    }

    List<SimulatedPluginItem> pluginItems() {
        return pluginItems;
    }

    boolean userDefinedEventCreation() {
        return userDefinedEventCreation;
    }

    void countTokenRequest() {
        tokenRequests.incrementAndGet();
    }

    void countRefusedTokenRequest() {
        refusedTokenRequests.incrementAndGet();
    }

    void countLogin(boolean renewal) {
        (renewal ? renewals : logins).incrementAndGet();
    }

    void countLogout() {
        logouts.incrementAndGet();
    }

    String createUserDefinedEvent(String name) {
        return eventLog.createUserDefinedEvent(name);
    }

    Optional<PostedEvent> recordEvent(String typeId) {
        return eventLog.recordEvent(typeId);
    }

    PostedAlarm recordAlarm(String name, String message, String source) {
        return eventLog.recordAlarm(name, message, source);
    }

    @Override
    public String toString() {
        return "XProtectSimulator[" + (http == null ? "stopped" : baseUrl()) + ", user=" + username
                + ", password=****, cameras=" + cameras.size() + "]";
    }

    /** Options of a simulator; every one has a default that works for {@code --demo}. */
    public static final class Builder {
        private List<SimulatedCamera> cameras = demoCameras();
        private String username = DEFAULT_USERNAME;
        private String password = DEFAULT_PASSWORD;
        private Duration accessTokenTtl = DEFAULT_ACCESS_TOKEN_TTL;
        private Duration vmsTokenTtl = DEFAULT_VMS_TOKEN_TTL;
        private boolean mipKindsAvailable = true;
        private final List<SimulatedPluginItem> pluginItems = new ArrayList<>();
        private boolean userDefinedEventCreation = true;
        private final List<String> userDefinedEvents = new ArrayList<>();
        private int httpPort;
        private int imageServerPort;
        private SSLContext tls;
        private RecordingLayout recordingLayout = RecordingLayout.DEFAULT;

        private Builder() {
        }

        /** The cameras (default: {@link #demoCameras()}); ids and names must be unique. */
        public Builder cameras(List<SimulatedCamera> cameras) {
            this.cameras = List.copyOf(cameras);
            return this;
        }

        /** The basic user that may log in (default {@value #DEFAULT_USERNAME} / {@value #DEFAULT_PASSWORD}). */
        public Builder credentials(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Lifetime of IDP access tokens ({@code expires_in}, whole seconds), default 1 h. */
        public Builder accessTokenTtl(Duration ttl) {
            this.accessTokenTtl = positive(ttl, Duration.ofSeconds(1));
            return this;
        }

        /** Lifetime of VMS tokens ({@code TimeToLive}), default 4 h. */
        public Builder vmsTokenTtl(Duration ttl) {
            this.vmsTokenTtl = positive(ttl, Duration.ofMillis(1));
            return this;
        }

        /** Whether {@code /mipKinds/{kind}/mipItems} exists (default true; false answers 404). */
        public Builder mipKindsAvailable(boolean available) {
            this.mipKindsAvailable = available;
            return this;
        }

        /** Adds an RTMP Streamer plugin item. */
        public Builder pluginItem(SimulatedPluginItem item) {
            this.pluginItems.add(Objects.requireNonNull(item, "item"));
            return this;
        }

        /** Whether the user may create user-defined events (default true; false answers 403). */
        public Builder userDefinedEventCreation(boolean allowed) {
            this.userDefinedEventCreation = allowed;
            return this;
        }

        /** A user-defined event that exists from the start. */
        public Builder userDefinedEvent(String name) {
            this.userDefinedEvents.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /** HTTP port (default 0: ephemeral). */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** ImageServer port (default 0: ephemeral). */
        public Builder imageServerPort(int port) {
            this.imageServerPort = port;
            return this;
        }

        /** Serve IDP, SOAP and REST over HTTPS with this context (its key is the server certificate). */
        public Builder tls(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            return this;
        }

        /** What every camera has recorded (default {@link RecordingLayout#DEFAULT}: 2 h with a 1-minute gap). */
        public Builder recordings(RecordingLayout layout) {
            this.recordingLayout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        public XProtectSimulator build() {
            long ids = cameras.stream().map(c -> c.id().toLowerCase()).distinct().count();
            long names = cameras.stream().map(SimulatedCamera::name).distinct().count();
            if (ids != cameras.size() || names != cameras.size()) {
                throw new IllegalArgumentException("simulated cameras need unique ids and names: " + cameras);
            }
            return new XProtectSimulator(this);
        }

        private static Duration positive(Duration d, Duration min) {
            if (d == null || d.compareTo(min) < 0) {
                throw new IllegalArgumentException("invalid token TTL: " + d + " (expected at least " + min + ")");
            }
            return d;
        }
    }
}
