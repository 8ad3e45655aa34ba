package io.camrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real nginx with its RTMP module, on a free 127.0.0.1 port, in its own prefix under target/, recording every
 * publish of {@code application live} to {@link #recordDir()}. One process ({@code master_process off}) so that
 * {@link #pause()} (SIGSTOP) freezes the server that holds the connection.
 */
public final class NginxRtmp implements AutoCloseable {

    /** The module as Debian installs it (libnginx-mod-rtmp). */
    public static final String MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

    private final Path prefix;
    private final int port;
    private Process process;

    private NginxRtmp(Path prefix, int port) {
        this.prefix = prefix;
        this.port = port;
    }

    /** Starts nginx in a fresh directory under target/nginx. */
    public static NginxRtmp start() {
        try {
            Files.createDirectories(Path.of("target", "nginx"));
            Path prefix = Files.createTempDirectory(Path.of("target", "nginx"), "rtmp-").toAbsolutePath();
            NginxRtmp n = new NginxRtmp(prefix, Ports.free());
            n.writeConfig();
            n.startProcess();
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** rtmp://127.0.0.1:port/live/{key}. */
    public String url(String key) {
        return "rtmp://127.0.0.1:" + port + "/live/" + key;
    }

    /** Where recordings go. */
    public Path recordDir() {
        return prefix.resolve("record");
    }

    /** Recordings (one per publish), oldest first. */
    public List<Path> recordings() {
        try (Stream<Path> s = Files.list(recordDir())) {
            return s.filter(p -> p.toString().endsWith(".flv")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** nginx's error log (the server's reasons). */
    public String errorLog() {
        try {
            Path log = prefix.resolve("error.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The publishes of {@code key} nginx accepted: its error log (level info) has a {@code publish: name='key'} line per
     * publish command, and an {@code already publishing} error for each it refused. With {@code record_unique} each
     * accepted publish is also a recording of its own ({@link #recordingsOf}).
     */
    public int publishes(String key) {
        String log = errorLog();
        String command = "publish: name='" + key + "'";
        int commands = 0;
        for (int at = log.indexOf(command); at >= 0; at = log.indexOf(command, at + 1)) {
            commands++;
        }
        return commands - refusedPublishes(key);
    }

    /** Publishes of {@code key} nginx refused because another publish held the name ("already publishing"). */
    public int refusedPublishes(String key) {
        int refused = 0;
        String[] lines = errorLog().split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("publish: name='" + key + "'")) {
                for (int j = i + 1; j < Math.min(lines.length, i + 20); j++) {
                    String connection = connectionOf(lines[i]);
                    if (connection != null && lines[j].contains(connection) && lines[j].contains("already publishing")) {
                        refused++;
                        break;
                    }
                }
            }
        }
        return refused;
    }

    /** The recordings of the publishes of {@code key} (record_unique: {@code key-<time>.flv}), oldest first. */
    public List<Path> recordingsOf(String key) {
        return recordings().stream().filter(p -> p.getFileName().toString().startsWith(key + "-")).toList();
    }

    /** nginx's connection number in an error-log line ({@code *12}), or null. */
    private static String connectionOf(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" (\\*\\d+) ").matcher(line);
        return m.find() ? m.group(1) + " " : null;
    }

    /** Freezes the server (SIGSTOP): connections stay open, nothing is read. */
    public void pause() {
        signal("STOP");
    }

    /** Lets a paused server run again (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    /** Kills the server (connections drop) and starts it again on the same port. */
    public void restart() {
        stopProcess();
        startProcess();
    }

    @Override
    public void close() {
        if (process != null) {
            resume();
            stopProcess();
        }
    }

    /** Facebook's application name (its ingest is rtmps://live-api-s.facebook.com:443/rtmp/KEY). */
    public static final String FACEBOOK_APP = "rtmp";
    /** A nested application, as rtmp://host/app/sub/key names it. */
    public static final String NESTED_APP = "app/sub";
    /** Whether this machine has an IPv6 loopback to listen on as well. */
    public static final boolean IPV6 = ipv6Loopback();

    private static boolean ipv6Loopback() {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** An application that records every publish, as "live" does. */
    private String application(String name) {
        return "    application " + name + " {\n      live on;\n      record all;\n      record_path " + recordDir()
                + ";\n      record_unique on;\n    }\n";
    }

    private void writeConfig() throws IOException {
        Files.createDirectories(recordDir());
        Files.createDirectories(prefix.resolve("logs"));
        boolean root = "root".equals(System.getProperty("user.name"));
        String conf = "load_module " + MODULE + ";\n"
                + "daemon off;\nmaster_process off;\nworker_processes 1;\n"
                + (root ? "user root;\n" : "")
                + "pid " + prefix.resolve("nginx.pid") + ";\n"
                + "error_log " + prefix.resolve("error.log") + " info;\n"
                + "events { worker_connections 64; }\n"
                + "rtmp {\n  server {\n    listen 127.0.0.1:" + port + ";\n"
                + (IPV6 ? "    listen [::1]:" + port + ";\n" : "") + "    chunk_size 4096;\n"
                + application("live") + application(FACEBOOK_APP) + application(NESTED_APP) + "  }\n}\n";
        Files.writeString(prefix.resolve("nginx.conf"), conf);
    }

    private void startProcess() {
        if (!Files.isRegularFile(Path.of(MODULE))) {
            // without this check nginx exits at once and the failure reads "not listening"
            throw new AssertionError("nginx's RTMP module " + MODULE + " is not installed; the tests need it. Run "
                    + "scripts/test.sh (as root it installs it), or: sudo apt-get install -y libnginx-mod-rtmp");
        }
        try {
            String nginx = Tools.require("nginx");
            process = new ProcessBuilder(nginx, "-p", prefix.toString(), "-e", prefix.resolve("error.log").toString(),
                    "-c", prefix.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
            Ports.awaitListening(port, 10_000, "nginx-rtmp (" + errorLog() + ")");
        } catch (IOException e) {
            throw new AssertionError("cannot start nginx: " + e.getMessage(), e);
        }
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void signal(String sig) {
        Tools.run(10, "kill", "-" + sig, String.valueOf(process.pid())).requireSuccess("kill -" + sig);
    }
}
