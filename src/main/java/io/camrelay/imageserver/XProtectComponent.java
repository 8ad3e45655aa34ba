package io.camrelay.imageserver;

import io.camrelay.imageserver.session.AlarmsQuery;
import io.camrelay.imageserver.session.SessionSettings;
import io.camrelay.support.StreamThreads;
import io.camrelay.vms.RecordedSequence;
import io.camrelay.vms.VmsAccess;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * Receives live video of Milestone XProtect cameras from their recording servers' ImageServer (GenericByteData
 * pictures, H.264 passed through untouched). Owns the Netty event loops all its consumers share.
 */
@Component("xprotect")
public class XProtectComponent extends DefaultComponent {

    /** 0: Netty's default (twice the number of cores). */
    static final int DEFAULT_EVENT_LOOP_THREADS = 0;
    private static final long SHUTDOWN_QUIET_MS = 0;
    private static final long SHUTDOWN_TIMEOUT_MS = 2000;

    @Metadata(label = "advanced", defaultValue = "0")
    private int eventLoopThreads = DEFAULT_EVENT_LOOP_THREADS;
    @Metadata
    private XProtectConfiguration configuration = new XProtectConfiguration();

    private EventLoopGroup eventLoopGroup;
    private ExecutorService vmsExecutor;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        XProtectEndpoint endpoint = new XProtectEndpoint(uri, this, remaining, configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public int getEventLoopThreads() {
        return eventLoopThreads;
    }

    /** Netty event loop threads shared by all ImageServer sessions; 0 uses Netty's default. */
    public void setEventLoopThreads(int eventLoopThreads) {
        this.eventLoopThreads = eventLoopThreads;
    }

    public XProtectConfiguration getConfiguration() {
        return configuration;
    }

    /** Default endpoint options, copied into each endpoint. */
    public void setConfiguration(XProtectConfiguration configuration) {
        this.configuration = configuration;
    }

    /**
     * Lists the recorded sequences of {@code cameraId} overlapping [{@code fromMs}, {@code toMs}] with the ImageServer
     * {@code alarms} request, for recorders without the RecorderCommandService (docs/protocols.md §8), using this
     * component's default options (timeouts, limits, certificates).
     */
    public CompletableFuture<List<RecordedSequence>> alarms(VmsAccess vms, String cameraId, long fromMs, long toMs) {
        XProtectConfiguration c = configuration;
        SessionSettings settings = new SessionSettings(cameraId, null, c.getConnectTimeout(), c.getNoDataTimeout(),
                c.getReconnectInitialDelay(), c.getReconnectMaxDelay(), c.limits(), c.isTrustAllCertificates());
        return new AlarmsQuery(settings, vms, eventLoopGroup().next(), vmsExecutor(), fromMs, toMs).run();
    }

    /**
     * The event loop of the live session of route {@code routeId}: a stream route's loop of the application's shared
     * group ({@link StreamThreads}), where its RTMP connections run too; otherwise one of this component's loops.
     */
    EventLoop liveLoop(String routeId) {
        String streamId = StreamThreads.streamIdOfRoute(routeId);
        EventLoopGroup shared = streamId == null || getCamelContext() == null ? null
                : getCamelContext().getRegistry().lookupByNameAndType(StreamThreads.BEAN_NAME, EventLoopGroup.class);
        return shared == null ? eventLoopGroup().next() : (EventLoop) StreamThreads.forStream(shared, streamId);
    }

    /** The event loops of all sessions; created on the first consumer start. */
    synchronized EventLoopGroup eventLoopGroup() {
        if (eventLoopGroup == null) {
            eventLoopGroup = new NioEventLoopGroup(eventLoopThreads);
        }
        return eventLoopGroup;
    }

    /** Runs VMS look-ups (recorder, token), which may block, away from the event loops. */
    synchronized ExecutorService vmsExecutor() {
        if (vmsExecutor == null) {
            vmsExecutor = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "XProtectVms");
        }
        return vmsExecutor;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (vmsExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdown(vmsExecutor);
            vmsExecutor = null;
        }
        if (eventLoopGroup != null) {
            eventLoopGroup.shutdownGracefully(SHUTDOWN_QUIET_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS * 2);
            eventLoopGroup = null;
        }
        super.doStop();
    }
}
