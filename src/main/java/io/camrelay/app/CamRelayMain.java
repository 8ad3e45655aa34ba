package io.camrelay.app;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts CamRelay: Camel Main with the properties in {@code config/application.properties} (when present) and the
 * YAML routes under {@code classpath:routes/}; {@value #DEMO} first starts the embedded XProtect simulator and a
 * demo stream (docs/design.md §4); {@value #EXPORT} exports a recorded range to a file and exits (architecture §11).
 */
public final class CamRelayMain {

    /** The operator's configuration file, relative to the working directory. */
    static final String CONFIG_FILE = "config/application.properties";
    /** The built-in defaults, which the operator's file overrides. */
    static final String DEFAULTS = "classpath:camrelay-defaults.properties";
    /** Command-line flag: run the demo. */
    static final String DEMO = "--demo";
    /** Command: export a recorded range to a file and exit ({@link ExportCli}). */
    static final String EXPORT = "export";

    private static final Logger LOG = LoggerFactory.getLogger(CamRelayMain.class);

    private CamRelayMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(EXPORT)) {
            System.exit(ExportCli.main(Arrays.copyOfRange(args, 1, args.length)));
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean demo = rest.remove(DEMO);
        Main main = create();
        AtomicBoolean started = new AtomicBoolean();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport support) {
                started.set(true);
            }
        });
        try (Demo running = demo ? Demo.start(main) : null) {
            main.run(rest.toArray(String[]::new));
        }
        LOG.info("CamRelay stopped");
        ClassDataArchive.stopping(ManagementFactory.getRuntimeMXBean().getInputArguments(), started.get());
    }

    /** A Camel Main with CamRelay's configuration, route set and wiring (tests start it the same way). */
    static Main create() {
        return create(CONFIG_FILE);
    }

    /** The same Main reading the operator's configuration from {@code operatorFile} (tests). */
    static Main create(String operatorFile) {
        return create(operatorFile, new ApplicationWiring());
    }

    /** The same Main with {@code wiring} (tests: a wiring with a clock of their own). */
    static Main create(String operatorFile, ApplicationWiring wiring) {
        Main main = new Main(CamRelayMain.class);
        main.setPropertyPlaceholderLocations(configLocations(operatorFile));
        main.addMainListener(wiring);
        main.addMainListener(new StartupBanner());
        return main;
    }

    /**
     * The property locations: the operator's file first, because Camel's properties component answers a key from the
     * first location that has it (with the defaults first, config/application.properties could only add keys, never
     * change one such as camrelay.status.port).
     */
    static String configLocations(String operatorFile) {
        return "file:" + operatorFile + ";optional=true," + DEFAULTS;
    }
}
