package io.camrelay.imageserver;

import io.camrelay.imageserver.session.SessionSettings;
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
import org.apache.camel.support.DefaultEndpoint;

/**
 * Receives a Milestone XProtect camera's live video from its recording server's ImageServer: one exchange per
 * picture, the body a GenericByteData packet ({@code byte[]}, header included).
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
        XProtectConsumer consumer = new XProtectConsumer(this, processor);
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
