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
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Applies docs/design.md §8 to the status server before Camel Main creates it: bound to a loopback address it may
 * run without credentials; bound to anything else it requires {@code camrelay.status.username} and
 * {@code camrelay.status.password} and refuses to start without them. When credentials are set, basic authentication
 * is switched on for every path of the status server ({@code camel.server.*}), which also serves {@code /observe}
 * (see {@link StatusRoutes}); keep {@code camel.management.enabled} off, its routes would bypass it.
 */
public final class StatusServerGuard {

    /** Property: the address the status server binds to. */
    public static final String HOST = "camrelay.status.host";
    /** Property: the basic-auth user name. */
    public static final String USERNAME = "camrelay.status.username";
    /** Property: the basic-auth password. */
    public static final String PASSWORD = "camrelay.status.password";
    /** The default, loopback-only binding (docs/design.md §4). */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    private StatusServerGuard() {
    }

    /** Checks the binding and switches authentication on; call before Camel Main configures its HTTP server. */
    public static void apply(BaseMainSupport main) {
        PropertiesComponent props = main.getCamelContext().getPropertiesComponent();
        String host = props.resolveProperty(HOST).orElse(DEFAULT_HOST).strip();
        String user = props.resolveProperty(USERNAME).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        String password = props.resolveProperty(PASSWORD).filter(s -> !s.isEmpty()).orElse(null);
        if (user == null || password == null) {
            if (!isLoopback(host)) {
                throw new IllegalStateException(HOST + " is '" + host + "', which other machines can reach, but no"
                        + " credentials are set: set " + USERNAME + " and " + PASSWORD + " (environment"
                        + " CAMRELAY_STATUS_USERNAME / CAMRELAY_STATUS_PASSWORD) or bind to 127.0.0.1");
            }
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
