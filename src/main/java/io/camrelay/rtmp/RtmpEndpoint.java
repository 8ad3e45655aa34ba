package io.camrelay.rtmp;

import io.camrelay.support.Secrets;
import io.camrelay.rtmp.client.PublisherSettings;
import io.camrelay.rtmp.client.RtmpUrl;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Publishes FLV tags (a body of one FlvTag or a list of them) as a live stream to an RTMP or RTMPS server:
 * metadata, sequence headers and media from a key frame, with reconnects and a send queue bounded in media time.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "rtmp,rtmps", title = "RTMP,RTMPS", syntax = "rtmp:url",
             producerOnly = true, category = { Category.NETWORKING }, lenientProperties = true)
public class RtmpEndpoint extends DefaultEndpoint {

    @UriPath(description = "The destination host[:port]/app[/more]/streamKey, or host[:port]/app when the key is "
                           + "given in streamKey. Ports default to 1935 (rtmp) and 443 (rtmps).")
    @Metadata(required = true)
    private String url;
    @UriParam
    private RtmpConfiguration configuration;

    private RtmpUrl destination;
    private String scheme = RtmpConstants.SCHEME_RTMP;
    private String query = "";

    RtmpEndpoint(String uri, RtmpComponent component, RtmpConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public RtmpComponent getComponent() {
        return (RtmpComponent) super.getComponent();
    }

    public String getUrl() {
        return url;
    }

    /** The destination without the scheme. */
    public void setUrl(String url) {
        this.url = url;
    }

    public RtmpConfiguration getConfiguration() {
        return configuration;
    }

    /** The endpoint's options. */
    public void setConfiguration(RtmpConfiguration configuration) {
        this.configuration = configuration;
    }

    /**
     * Query parameters that are not options belong to the stream key (Facebook keys carry {@code ?s_bl=...}).
     */
    void setSchemeAndQuery(String scheme, Map<String, Object> leftover) {
        this.scheme = scheme;
        this.query = leftover.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
    }

    /** The parsed destination (fixed after init). */
    public RtmpUrl getDestination() {
        return destination;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        destination();
    }

    /**
     * Parses the destination and validates every option, naming the bad value (the key masked); idempotent.
     *
     * @throws IllegalArgumentException when the URL or an option is invalid
     */
    RtmpUrl destination() {
        if (destination == null) {
            String path = url.startsWith("//") ? url.substring(2) : url;
            String full = scheme + "://" + path + (query.isEmpty() ? "" : (path.contains("?") ? "&" : "?") + query);
            try {
                destination = RtmpUrl.parse(full, configuration.getStreamKey());
                settings();
            } catch (IllegalArgumentException e) {
                destination = null;
                throw new IllegalArgumentException("invalid " + scheme + " endpoint: " + e.getMessage(), e);
            }
        }
        return destination;
    }

    /** Replaces the URI Camel shows for this endpoint (the one it was created with may hold the key). */
    void maskEndpointUri(String masked) {
        setEndpointUri(masked);
    }

    /** The publisher settings from this endpoint's options. */
    PublisherSettings settings() {
        RtmpConfiguration c = configuration;
        return new PublisherSettings(destination, c.isAllowUntrustedCertificates(), c.getConnectTimeout(),
                c.getReadTimeout(), c.getChunkSize(), c.getDropDisposableAfter(), c.getDropToKeyFrameAfter(),
                c.getMaxQueuedBytes(), c.getWriteBufferLowWaterMark(), c.getWriteBufferHighWaterMark(),
                c.getBackoffInitialDelay(), c.getBackoffMaxDelay(), c.getBackoffResetAfter(),
                c.getRejectionBackoffDelay(), c.getMaxIncomingMessageSize(), c.getTimestampOffset(),
                c.getStatusInterval(), c.getRotateInterval(), c.getStreamId(), c.getPublisherListener());
    }

    @Override
    public Producer createProducer() {
        return new RtmpProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("the " + scheme + " component only publishes; it has no consumer");
    }

    @Override
    public String toString() {
        return "RtmpEndpoint[" + (destination != null ? destination.masked() : scheme + ":" + Secrets.MASK) + "]";
    }
}
