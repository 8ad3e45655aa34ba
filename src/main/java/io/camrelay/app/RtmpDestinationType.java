package io.camrelay.app;

import io.camrelay.media.FlvTag;
import io.camrelay.rtmp.RtmpComponent;
import io.camrelay.rtmp.RtmpConstants;
import io.camrelay.rtmp.RtmpEndpoint;
import io.camrelay.rtmp.RtmpProducer;
import io.camrelay.rtmp.client.RtmpPublisherStats;
import io.camrelay.streams.DestinationContext;
import io.camrelay.streams.DestinationSink;
import io.camrelay.streams.DestinationTracker;
import io.camrelay.streams.DestinationType;
import io.camrelay.streams.StreamState;
import io.camrelay.support.Secrets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Destinations on RTMP and RTMPS servers ({@code rtmp[s]://host[:port]/app/key}): each sink is a producer of the
 * {@code rtmp:}/{@code rtmps:} component, made through its public face ({@link RtmpComponent#createDestinationEndpoint},
 * which keeps the key out of the endpoint's URI), whose status listener feeds the destination's status.
 */
public final class RtmpDestinationType implements DestinationType {

    /** The URL rule of the RTMP Streamer plugin: an rtmp or rtmps URL without white space, quotes or backslashes. */
    static final Pattern PLUGIN_URL_RULE = Pattern.compile("^rtmps?://[^\\s\"\\\\]+$");

    @Override
    public boolean accepts(String url) {
        String lower = url.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith(RtmpConstants.SCHEME_RTMP + "://") || lower.startsWith(RtmpConstants.SCHEME_RTMPS
                + "://");
    }

    @Override
    public String problemWith(String url) {
        String u = url.strip();
        if (!PLUGIN_URL_RULE.matcher(u.toLowerCase(Locale.ROOT)).matches()) {
            return "'" + Secrets.maskDestination(u) + "' is not a valid rtmp URL: it must not contain spaces, quotes"
                    + " or backslashes";
        }
        String rest = u.substring(u.indexOf("://") + 3);
        if (rest.isEmpty() || rest.startsWith("/") || rest.startsWith(":")) {
            return "'" + Secrets.maskDestination(u) + "' has no server name: expected rtmp[s]://host[:port]/app/key";
        }
        return null;
    }

    @Override
    public String describe() {
        return "an rtmp://, rtmps:// URL";
    }

    @Override
    public boolean usesTls(String url) {
        return url.strip().toLowerCase(Locale.ROOT).startsWith(RtmpConstants.SCHEME_RTMPS + "://");
    }

    @Override
    public DestinationSink open(DestinationContext context) {
        return new Sink(context);
    }

    /** One rtmp producer; never blocks the route (the producer publishes on its own event loop). */
    private static final class Sink implements DestinationSink {
        private final DestinationContext context;
        private RtmpProducer producer;

        Sink(DestinationContext context) {
            this.context = context;
        }

        @Override
        public void start() throws Exception {
            String url = context.destination().url().strip();
            String scheme = url.substring(0, url.indexOf(':')).toLowerCase(Locale.ROOT);
            RtmpComponent component = context.camel().getComponent(scheme, RtmpComponent.class);
            RtmpEndpoint endpoint = component.createDestinationEndpoint(url);
            endpoint.getConfiguration().setStreamId(context.streamId());
            endpoint.getConfiguration().setAllowUntrustedCertificates(
                    context.destination().allowUntrustedCertificates());
            endpoint.getConfiguration().setPublisherListener(this::onStatus);
            ServiceHelper.initService(endpoint);
            producer = (RtmpProducer) endpoint.createProducer();
            ServiceHelper.startService(producer);
        }

        @Override
        public void send(List<FlvTag> tags, long receiveNanos) {
            RtmpProducer p = producer;
            if (p != null) {
                p.publish(tags, receiveNanos);
            }
        }

        @Override
        public void stop() {
            ServiceHelper.stopAndShutdownService(producer);
            producer = null;
        }

        @Override
        public void rotateEvery(Duration period) {
            RtmpProducer p = producer;
            if (p != null) {
                p.rotateEvery(period);
            }
        }

        /** On the connection's event loop: counters and state only. */
        private void onStatus(RtmpPublisherStats s) {
            DestinationTracker d = context.status();
            d.counters(s.framesSent(), s.bytesSent(), s.framesDropped(), s.reconnects(), s.publishes());
            StreamState state = switch (s.state()) {
                case STARTING -> StreamState.STARTING;
                case STREAMING -> StreamState.STREAMING;
                case RECONNECTING -> StreamState.RECONNECTING;
                case ERROR -> StreamState.ERROR;
                case STOPPED -> StreamState.STOPPED;
            };
            boolean withError = state == StreamState.RECONNECTING || state == StreamState.ERROR;
            d.state(state, withError ? s.lastError() : null);
        }
    }
}
