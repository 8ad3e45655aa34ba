package io.camrelay.web;

import io.camrelay.streams.StreamStatusRegistry;
import org.apache.camel.main.Main;

/**
 * The status server with its guard, configured as camrelay-defaults.properties does ({@code camel.server.host =
 * {{camrelay.status.host}}}), in a JVM of its own, so that a test can start it with environment variables. Prints
 * {@value #STARTED} once serving, or {@value #REFUSED} and the reason and exits with status 2.
 */
final class GuardedStatusServer {

    static final String STARTED = "STATUS SERVER STARTED";
    static final String REFUSED = "STATUS SERVER REFUSED: ";

    private GuardedStatusServer() {
    }

    /** The status server as {@link StatusServerGuardTest} starts it, on {@code port}. */
    static Main main(int port) {
        Main main = new Main();
        main.bind(StreamStatusRegistry.BEAN_NAME, new StreamStatusRegistry());
        main.configure().addRoutesBuilder(new StatusRoutes());
        main.addMainListener(new GuardListener());
        main.addInitialProperty("camrelay.status.host", "127.0.0.1");
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "{{camrelay.status.host}}");
        main.addInitialProperty("camel.server.port", Integer.toString(port));
        return main;
    }

    /** {@code args[0]}: the port. */
    public static void main(String[] args) throws Exception {
        Main main = main(Integer.parseInt(args[0]));
        try {
            main.start();
        } catch (Exception e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            System.out.println(REFUSED + t.getMessage());
            System.out.flush();
            System.exit(2);
        }
        System.out.println(STARTED);
        System.out.flush();
        Thread.sleep(60_000);
        main.stop();
    }
}
