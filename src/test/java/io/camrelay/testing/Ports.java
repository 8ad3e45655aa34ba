package io.camrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1 for servers that cannot bind port 0 themselves (nginx, stunnel, ffmpeg). */
public final class Ports {
    private Ports() {
    }

    /** A port that was free a moment ago. */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until something accepts TCP connections on 127.0.0.1:port. */
    public static void awaitListening(int port, long timeoutMillis, String what) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", ie);
                }
            }
        }
        throw new AssertionError(what + " is not listening on 127.0.0.1:" + port + " after " + timeoutMillis + " ms");
    }

    /**
     * Waits until a socket listens on 127.0.0.1:port, reading /proc/net/tcp instead of connecting (a probe
     * connection would use up a one-shot server such as {@code ffmpeg -listen 1}).
     */
    public static void awaitListeningWithoutConnecting(int port, long timeoutMillis, String what) {
        String local = String.format("0100007F:%04X", port);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/tcp"))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].equals(local) && f[3].equals("0A")) {
                        return;
                    }
                }
                Thread.sleep(50);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError(what + " is not listening on 127.0.0.1:" + port + " after " + timeoutMillis + " ms");
    }
}
