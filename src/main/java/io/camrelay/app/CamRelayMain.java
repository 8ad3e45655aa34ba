package io.camrelay.app;

import org.apache.camel.main.Main;

/**
 * Starts CamRelay: Camel Main with the properties in {@code config/application.properties} (when present) and the
 * YAML routes under {@code classpath:routes/}.
 */
public final class CamRelayMain {

    /** The operator's configuration file, relative to the working directory. */
    static final String CONFIG_LOCATION = "classpath:camrelay-defaults.properties,file:config/application.properties";

    private CamRelayMain() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(CamRelayMain.class);
        main.setPropertyPlaceholderLocations(CONFIG_LOCATION);
        main.run(args);
    }
}
