package io.camrelay.imageserver;

import io.camrelay.imageserver.session.PlaybackSettings;
import io.camrelay.imageserver.session.SessionSettings;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import io.camrelay.vms.VmsAccess;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Receives a Milestone XProtect camera's video from its recording server's ImageServer: live, or a recorded range
 * ({@code mode=playback}); one exchange per picture, the body a GenericByteData packet ({@code byte[]}, header
 * included).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "xprotect", title = "XProtect ImageServer", syntax = "xprotect:cameraId",
        consumerOnly = true, remote = true, category = { Category.NETWORKING }, headersClass = XProtectConstants.class)
public class XProtectEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    @UriPath(description = "The XProtect camera id (GUID)")
    @Metadata(required = true)
    private String cameraId;
    @UriParam
    private XProtectConfiguration configuration;

    XProtectEndpoint(String uri, XProtectComponent component, String cameraId, XProtectConfiguration configuration) {
        super(uri, component);
        this.cameraId = cameraId;
        this.configuration = configuration;
    }

    @Override
    public XProtectComponent getComponent() {
        return (XProtectComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("xprotect: receives video only; it cannot be used with to() ("
                + getEndpointUri() + ")");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        DefaultConsumer consumer = playback() ? new XProtectPlaybackConsumer(this, processor)
                : new XProtectConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (cameraId == null || cameraId.isBlank()) {
            throw new IllegalArgumentException("xprotect: endpoint '" + getEndpointUri()
                    + "' has no camera id (expected xprotect:<camera GUID>)");
        }
        if (configuration.getVmsAccess() == null) {
            // bound after the component was autowired: look again
            configuration.setVmsAccess(getCamelContext().getRegistry().findSingleByType(VmsAccess.class));
        }
        if (configuration.getVmsAccess() == null) {
            throw new IllegalStateException("xprotect:" + cameraId + " has no VMS session: bind one "
                    + VmsAccess.class.getName() + " in the registry or set vmsAccess=#beanName on the endpoint");
        }
        sessionSettings(); // validates timeouts and limits, naming the bad value
        String mode = configuration.getMode();
        if (!XProtectConfiguration.MODE_LIVE.equals(mode) && !XProtectConfiguration.MODE_PLAYBACK.equals(mode)) {
            throw new IllegalArgumentException("xprotect:" + cameraId + " has mode '" + mode + "' (expected "
                    + XProtectConfiguration.MODE_LIVE + " or " + XProtectConfiguration.MODE_PLAYBACK + ")");
        }
        if (playback()) {
            playbackSettings();
            if (configuration.getMaxQueuedBytes() < 1) {
                throw new IllegalArgumentException("xprotect:" + cameraId + " has maxQueuedBytes "
                        + configuration.getMaxQueuedBytes() + " (expected > 0)");
            }
        }
    }

    boolean playback() {
        return XProtectConfiguration.MODE_PLAYBACK.equals(configuration.getMode());
    }

    /** The range and pipelining of mode=playback, validated: both times given, {@code to} after {@code from}. */
    PlaybackSettings playbackSettings() {
        long fromMs = time("from", configuration.getFrom());
        long toMs = time("to", configuration.getTo());
        try {
            return new PlaybackSettings(fromMs, toMs, configuration.getMaxRequestsInFlight());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("xprotect:" + cameraId + "?mode=playback: " + e.getMessage(), e);
        }
    }

    private long time(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("xprotect:" + cameraId + "?mode=playback needs the option '" + option
                    + "' (ISO-8601 UTC such as 2026-11-21T14:02:00Z, or ms since the epoch)");
        }
        String v = value.strip();
        try {
            return v.chars().allMatch(Character::isDigit) ? Long.parseLong(v) : Instant.parse(v).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("xprotect:" + cameraId + " option '" + option + "' is '" + v
                    + "', not a time (expected ISO-8601 UTC such as 2026-11-21T14:02:00Z, or ms since the epoch)", e);
        }
    }

    SessionSettings sessionSettings() {
        return new SessionSettings(cameraId, configuration.getStreamId(), configuration.getConnectTimeout(),
                configuration.getNoDataTimeout(), configuration.getReconnectInitialDelay(),
                configuration.getReconnectMaxDelay(), configuration.limits(),
                configuration.isTrustAllCertificates());
    }

    public String getCameraId() {
        return cameraId;
    }

    /** The XProtect camera id (GUID). */
    public void setCameraId(String cameraId) {
        this.cameraId = cameraId;
    }

    public XProtectConfiguration getConfiguration() {
        return configuration;
    }

    /** The endpoint options. */
    public void setConfiguration(XProtectConfiguration configuration) {
        this.configuration = configuration;
    }

    /**
     * Several routes may receive the same camera (e.g. two streams of one camera with different destinations): each
     * consumer opens its own ImageServer session.
     */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }
}
