package io.camrelay.web;

import io.camrelay.streams.*;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Applies docs/design.md §8 to the status server before Camel Main creates it: bound to a loopback address it may
 * run without credentials; bound to anything else it requires {@code camrelay.status.username} and
 * {@code camrelay.status.password} and refuses to start without them. When credentials are set, basic authentication
 * is switched on for every path of the status server ({@code camel.server.*}), which also serves {@code /observe}
 * (see {@link StatusRoutes}).
 *
 * <p>The address checked is the one Camel binds: the guard is Camel Main's HTTP server factory, so it sees
 * {@code camel.server.host} as resolved from every source (the properties files, {@code CAMEL_SERVER_HOST},
 * {@code -Dcamel.server.host}, or {@code camrelay.status.host} through the built-in mapping). Camel's management
 * server ({@code camel.management.enabled}) has routes of its own that bypass the authentication, so it is refused
 * unless bound to a loopback address.
 */
public final class StatusServerGuard {

    /** Property: the address the status server binds to. */
    public static final String HOST = "camrelay.status.host";
    /** Property: the basic-auth user name. */
    public static final String USERNAME = "camrelay.status.username";
    /** Property: the basic-auth password. */
    public static final String PASSWORD = "camrelay.status.password";

    /** Registry name of the HTTP server factory Camel Main finds (it looks one up by type before its own). */
    static final String FACTORY_BEAN = "camrelayStatusServerFactory";

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    private StatusServerGuard() {
    }

    /**
     * Checks the binding when Camel Main creates its HTTP servers and switches authentication on; call before Camel
     * Main configures them (a main listener's {@code beforeConfigure}).
     */
    public static void apply(BaseMainSupport main) {
        PropertiesComponent props = main.getCamelContext().getPropertiesComponent();
        String user = props.resolveProperty(USERNAME).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        String password = props.resolveProperty(PASSWORD).filter(s -> !s.isEmpty()).orElse(null);
        boolean credentials = user != null && password != null;
        main.getCamelContext().getRegistry().bind(FACTORY_BEAN, new GuardedServerFactory(credentials));
        if (!credentials) {
            return;
        }
        if (password.contains(",") || password.contains("\n") || password.contains("\r") || user.contains(",")
                || user.contains("=") || user.contains("\n")) {
            throw new IllegalStateException(USERNAME + " / " + PASSWORD + " must not contain ',' or line breaks"
                    + " (and the user name no '='): choose other credentials");
        }
        Path file = writeUserFile(user, password);
        main.configure().httpServer().setAuthenticationEnabled(true);
        main.configure().httpServer().setBasicPropertiesFile(file.toString());
    }

    /** Camel Main's HTTP server factory, refusing what the guard forbids on the address actually bound. */
    private static final class GuardedServerFactory extends DefaultMainHttpServerFactory {
        private final boolean credentials;

        GuardedServerFactory(boolean credentials) {
            this.credentials = credentials;
        }

        @Override
        public Service newHttpServer(CamelContext camelContext, HttpServerConfigurationProperties configuration) {
            String host = String.valueOf(configuration.getHost()).strip();
            if (!credentials && !isLoopback(host)) {
                throw new IllegalStateException("the status server would listen on '" + host + "' (camel.server.host,"
                        + " which CamRelay sets from " + HOST + "), which other machines can reach, but no credentials"
                        + " are set: set " + USERNAME + " and " + PASSWORD + " (environment CAMRELAY_STATUS_USERNAME /"
                        + " CAMRELAY_STATUS_PASSWORD) or bind to 127.0.0.1 (" + HOST + ", with camel.server.host and"
                        + " CAMEL_SERVER_HOST unset)");
            }
            return super.newHttpServer(camelContext, configuration);
        }

        @Override
        public Service newHttpManagementServer(CamelContext camelContext,
                HttpManagementServerConfigurationProperties configuration) {
            String host = String.valueOf(configuration.getHost()).strip();
            if (!isLoopback(host)) {
                throw new IllegalStateException("Camel's management server would listen on '" + host + "'"
                        + " (camel.management.host), which other machines can reach, and its routes bypass the status"
                        + " server's authentication: leave camel.management.enabled=false (the status server serves"
                        + " /observe/health and /observe/metrics) or set camel.management.host=127.0.0.1");
            }
            return super.newHttpManagementServer(camelContext, configuration);
        }
    }

    /** True for localhost and loopback address literals; names are not resolved (no DNS at start). */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("::1") || h.equals("[::1]")) {
            return true;
        }
        return IPV4.matcher(h).matches() && h.startsWith("127.");
    }

    /** The Vert.x property-file users file ({@code user.<name>=<password>,<role>}), readable by the owner only. */
    private static Path writeUserFile(String user, String password) {
        try {
            Path file = Files.createTempFile("camrelay-status-users", ".properties");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                file.toFile().setReadable(false, false);
                file.toFile().setReadable(true, true);
            }
            file.toFile().deleteOnExit();
            // Vert.x reads "user.<name>=<password>,<roles>" literally (no java.util.Properties escapes)
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write("user." + user + "=" + password + ",camrelay\n");
            }
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the status server's users file to the temp directory: "
                    + e.getMessage(), e);
        }
    }
}
