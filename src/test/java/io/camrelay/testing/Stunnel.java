package io.camrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** stunnel4 terminating TLS with a self-signed certificate (CN localhost) on a free port, in front of a TCP port. */
public final class Stunnel implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Process process;

    private Stunnel(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts stunnel accepting TLS on a free port and forwarding to 127.0.0.1:{@code targetPort}. */
    public static Stunnel start(int targetPort) {
        try {
            Files.createDirectories(Path.of("target", "stunnel"));
            Path dir = Files.createTempDirectory(Path.of("target", "stunnel"), "tls-").toAbsolutePath();
            Tools.run(60, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout",
                    dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                    .requireSuccess("making a self-signed certificate");
            int port = Ports.free();
            String conf = "foreground = yes\npid =\noutput = " + dir.resolve("stunnel.log") + "\n"
                    + "[rtmps]\naccept = 127.0.0.1:" + port + "\nconnect = 127.0.0.1:" + targetPort + "\n"
                    + "cert = " + dir.resolve("cert.pem") + "\nkey = " + dir.resolve("key.pem") + "\n";
            Files.writeString(dir.resolve("stunnel.conf"), conf);
            Process p = new ProcessBuilder(Tools.require("stunnel4"), dir.resolve("stunnel.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            Ports.awaitListening(port, 10_000, "stunnel");
            return new Stunnel(dir, port, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** What stunnel logged. */
    public String log() {
        try {
            Path log = dir.resolve("stunnel.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
