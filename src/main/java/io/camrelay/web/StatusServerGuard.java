package io.camrelay.web;

import io.camrelay.streams.*;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.handler.AuthenticationHandler;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Applies docs/design.md §8 to the status server before Camel Main creates it: bound to a loopback address it may
 * run without credentials; bound to anything else it requires {@code camrelay.status.username} and
 * {@code camrelay.status.password} and refuses to start without them. {@link StatusAccess} guards every path of the
 * status server ({@code camel.server.*}, which also serves {@code /observe}, see {@link StatusRoutes}): basic
 * authentication when credentials are set, and on a loopback binding a check of the Host header.
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
    /** Property: the basic-auth password (compared exactly as configured). */
    public static final String PASSWORD = "camrelay.status.password";
    /** Property: host names besides loopback ones that a loopback-bound status server answers (a local proxy's). */
    public static final String ALLOWED_HOSTS = "camrelay.status.allowed-hosts";

    /** Registry name of the HTTP server factory Camel Main finds (it looks one up by type before its own). */
    static final String FACTORY_BEAN = "camrelayStatusServerFactory";

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    private StatusServerGuard() {
    }

    /**
     * Checks the binding when Camel Main creates its HTTP servers and puts {@link StatusAccess} in front of every
     * path; call before Camel Main configures them (a main listener's {@code beforeConfigure}).
     */
    public static void apply(BaseMainSupport main) {
        PropertiesComponent props = main.getCamelContext().getPropertiesComponent();
        String user = props.resolveProperty(USERNAME).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        // as configured: a password is compared exactly, spaces included
        String password = props.resolveProperty(PASSWORD).filter(s -> !s.isEmpty()).orElse(null);
        if (user == null || password == null) {
            user = null;
            password = null;
        } else if (user.contains(":")) {
            throw new IllegalStateException(USERNAME + " '" + user + "' contains ':', which basic authentication "
                    + "cannot carry in a user name: choose another user name");
        }
        Set<String> allowedHosts = new HashSet<>();
        for (String h : props.resolveProperty(ALLOWED_HOSTS).orElse("").split(",")) {
            if (!h.isBlank()) {
                allowedHosts.add(h.strip().toLowerCase(Locale.ROOT));
            }
        }
        main.getCamelContext().getRegistry().bind(FACTORY_BEAN, new GuardedServerFactory(user, password,
                allowedHosts));
    }

    /** Camel Main's HTTP server factory, refusing what the guard forbids on the address actually bound. */
    private static final class GuardedServerFactory extends DefaultMainHttpServerFactory {
        private final String user;
        private final String password;
        private final Set<String> allowedHosts;

        GuardedServerFactory(String user, String password, Set<String> allowedHosts) {
            this.user = user;
            this.password = password;
            this.allowedHosts = allowedHosts;
        }

        @Override
        public Service newHttpServer(CamelContext camelContext, HttpServerConfigurationProperties configuration) {
            String host = String.valueOf(configuration.getHost()).strip();
            boolean loopback = isLoopback(host);
            if (user == null && !loopback) {
                throw new IllegalStateException("the status server would listen on '" + host + "' (camel.server.host,"
                        + " which CamRelay sets from " + HOST + "), which other machines can reach, but no credentials"
                        + " are set: set " + USERNAME + " and " + PASSWORD + " (environment CAMRELAY_STATUS_USERNAME /"
                        + " CAMRELAY_STATUS_PASSWORD) or bind to 127.0.0.1 (" + HOST + ", with camel.server.host and"
                        + " CAMEL_SERVER_HOST unset)");
            }
            Service server = super.newHttpServer(camelContext, configuration);
            if (!(server instanceof MainHttpServer main)) {
                throw new IllegalStateException("Camel's HTTP server is a " + server.getClass().getName()
                        + ", not the MainHttpServer the status server's authentication is installed in");
            }
            StatusAccess access = new StatusAccess(loopback, allowedHosts, user, password,
                    () -> System.nanoTime() / 1_000_000);
            AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
            entry.setPath("/*");
            entry.setAuthenticationProviderFactory(vertx -> null);
            entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
                @Override
                public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T ignored) {
                    return access;
                }
            });
            AuthenticationConfig authentication = main.getConfiguration().getAuthenticationConfig();
            authentication.getEntries().add(entry);
            authentication.setEnabled(true);
            return server;
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
}
