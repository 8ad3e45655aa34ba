package io.camrelay.app;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prints where the status page is once CamRelay runs. */
final class StartupBanner extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(StartupBanner.class);

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext camel = main.getCamelContext();
        boolean enabled = Boolean.parseBoolean(camel.getPropertiesComponent().resolveProperty("camel.server.enabled")
                .orElse("false").strip());
        if (enabled) {
            LOG.info("CamRelay is running; status page: http://{}:{}/ (API /api/streams). Stop with Ctrl-C.",
                    camel.resolvePropertyPlaceholders("{{camel.server.host}}"),
                    camel.resolvePropertyPlaceholders("{{camel.server.port}}"));
        } else {
            LOG.info("CamRelay is running (status server off). Stop with Ctrl-C.");
        }
    }
}
