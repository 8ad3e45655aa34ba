package io.camrelay.rtmp;

import io.camrelay.rtmp.client.RtmpUrl;
import io.camrelay.support.Secrets;
import io.camrelay.support.StreamThreads;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** Publishes FLV tags to RTMP and RTMPS servers (YouTube, Twitch, Facebook, nginx-rtmp, ...). */
@Component("rtmp,rtmps")
public class RtmpComponent extends DefaultComponent {

    /** The endpoint option holding the key when the URL does not. */
    static final String STREAM_KEY_OPTION = "streamKey";
    /** Seconds a stopping component waits for its connections to close. */
    static final long SHUTDOWN_QUIET_SECONDS = 0;
    static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

    @Metadata(label = "advanced", defaultValue = "0")
    private int eventLoopThreads;
    @Metadata(label = "advanced")
    private RtmpConfiguration configuration = new RtmpConfiguration();

    private EventLoopGroup eventLoopGroup;
    private ExecutorService resolverExecutor;
    private final MaskedEndpointUris maskedUris = new MaskedEndpointUris(this);
    /** The key {@link #createDestinationEndpoint} gives the endpoint it is creating on this thread. */
    private final ThreadLocal<String> destinationKey = new ThreadLocal<>();

    public int getEventLoopThreads() {
        return eventLoopThreads;
    }

    /** Netty I/O threads shared by all destinations; 0 = Netty's default (twice the cores). */
    public void setEventLoopThreads(int eventLoopThreads) {
        this.eventLoopThreads = eventLoopThreads;
    }

    public RtmpConfiguration getConfiguration() {
        return configuration;
    }

    /** Shared defaults for every endpoint's options. */
    public void setConfiguration(RtmpConfiguration configuration) {
        this.configuration = configuration;
    }

    /**
     * Raw URIs keep the query as written: a stream key's own query (Facebook's {@code ?s_bl=...&a=...}) must reach
     * the server in its original order, which Camel's normalised URI would sort.
     */
    @Override
    public boolean useRawUri() {
        return true;
    }

    /**
     * The endpoint's URI as Camel shows it (JMX, route dumps, its logs) is the destination with the key masked, plus
     * the other options, e.g. {@code rtmps://live.twitch.tv/app/****?chunkSize=8192}: Camel's sanitiser would mask
     * query parameters it knows only, and a key in the path never. When the key was written into the URI, the route
     * model is changed to hold this endpoint in place of the URI too (see {@link MaskedEndpointUris}).
     */
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String scheme = uri.substring(0, uri.indexOf(':'));
        Map<String, Object> options = new LinkedHashMap<>(parameters);
        RtmpEndpoint endpoint = new RtmpEndpoint(uri, this, configuration.copy());
        endpoint.setUrl(remaining);
        setProperties(endpoint, parameters);
        endpoint.setSchemeAndQuery(scheme, parameters);
        options.keySet().removeAll(parameters.keySet()); // what is left over belongs to the key
        options.remove(STREAM_KEY_OPTION);
        parameters.clear();
        String given = destinationKey.get();
        if (given != null) {
            endpoint.getConfiguration().setStreamKey(given);
        }
        RtmpUrl destination;
        try {
            destination = endpoint.destination();
        } catch (IllegalArgumentException e) {
            // reported when the endpoint is initialised; until then Camel must not show the URI as it is
            String masked = Secrets.maskUrl(uri);
            endpoint.maskEndpointUri(masked);
            if (!masked.equals(uri)) {
                maskedUris.add(uri, endpoint);
            }
            return endpoint;
        }
        endpoint.maskEndpointUri(maskedUris.displayUri(destination, options));
        String key = destination.streamKey();
        if (uri.contains(key.indexOf('?') > 0 ? key.substring(0, key.indexOf('?')) : key)) {
            maskedUris.add(uri, endpoint);
        }
        return endpoint;
    }

    /**
     * An endpoint that publishes to {@code destinationUrl} ({@code rtmp[s]://host[:port]/app[/more]/key[?query]}),
     * with the key in the secret {@code streamKey} option: the endpoint's URI, which Camel shows in JMX, route dumps
     * and its own logs, holds the server and the application only. Set further options on its configuration before
     * the endpoint is started.
     *
     * @throws IllegalArgumentException when the URL is not an RTMP destination (the message masks the key)
     */
    public RtmpEndpoint createDestinationEndpoint(String destinationUrl) throws Exception {
        RtmpUrl url = RtmpUrl.parse(destinationUrl);
        destinationKey.set(url.streamKey());
        try {
            return (RtmpEndpoint) createEndpoint(url.serverUrl());
        } finally {
            destinationKey.remove();
        }
    }

    /**
     * The event loop of a publisher for stream {@code streamId}: the stream's loop of the application's shared group
     * ({@link StreamThreads}), where its ImageServer session runs too; otherwise (no stream id, no shared group) one
     * of this component's loops.
     */
    EventLoop publisherLoop(String streamId) {
        EventLoopGroup shared = streamId == null || getCamelContext() == null ? null
                : getCamelContext().getRegistry().lookupByNameAndType(StreamThreads.BEAN_NAME, EventLoopGroup.class);
        return shared == null ? eventLoopGroup.next() : (EventLoop) StreamThreads.forStream(shared, streamId);
    }

    /** The I/O threads; available while the component is started. */
    EventLoopGroup eventLoopGroup() {
        return eventLoopGroup;
    }

    /** Where host names are resolved (DNS lookups block, so never on an event loop). */
    ExecutorService resolverExecutor() {
        return resolverExecutor;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        eventLoopGroup = new NioEventLoopGroup(eventLoopThreads, new DefaultThreadFactory("rtmp", true));
        resolverExecutor = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "RtmpResolver");
    }

    @Override
    protected void doStop() throws Exception {
        if (eventLoopGroup != null) {
            eventLoopGroup.shutdownGracefully(SHUTDOWN_QUIET_SECONDS, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
            eventLoopGroup = null;
        }
        if (resolverExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdown(resolverExecutor);
            resolverExecutor = null;
        }
        super.doStop();
    }
}
