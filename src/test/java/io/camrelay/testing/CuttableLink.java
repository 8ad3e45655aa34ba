package io.camrelay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a free 127.0.0.1 port to one target, whose link can be cut as a network partition cuts it: while
 * {@link #cut() cut} no byte passes either way and nothing is closed or reset (the peers hear nothing and must find
 * out by their own timeouts), and connections made meanwhile are accepted but never answered. {@link #heal()} ends
 * the partition: the connections that lived through it are closed (their peers gave up on them), new ones relay again.
 */
public final class CuttableLink implements AutoCloseable {

    private static final long HOLD_POLL_MS = 10;

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    /** Bumped by {@link #heal()}: connections of an older generation are closed instead of resumed. */
    private volatile int generation;

    private CuttableLink(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "cuttable-link-" + server.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    /** A link to {@code host:port}. */
    public static CuttableLink to(String host, int port) {
        try {
            return new CuttableLink(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:port} of the link's near end. */
    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Cuts the link silently. */
    public void cut() {
        cut = true;
    }

    /** Ends the cut: connections from before it are closed, new ones pass. */
    public void heal() {
        generation++;
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
        cut = false;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket near = server.accept();
                int born = generation;
                sockets.add(near);
                Thread t = new Thread(() -> connect(near, born), "cuttable-link-connect");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void connect(Socket near, int born) {
        if (!hold(born)) {
            closeQuietly(near);
            return;
        }
        try {
            Socket far = new Socket();
            sockets.add(far);
            far.connect(target, 5_000);
            pump(near, far, born);
            pump(far, near, born);
        } catch (IOException e) {
            closeQuietly(near);
        }
    }

    private void pump(Socket from, Socket to, int born) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (!hold(born)) {
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
                hold(born); // an end of stream is news too: it waits for the heal like bytes do
            } catch (IOException e) {
                // either side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "cuttable-link-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Waits while the link is cut; false when the connection of generation {@code born} must end instead. */
    private boolean hold(int born) {
        while (cut && generation == born) {
            try {
                Thread.sleep(HOLD_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return generation == born;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        heal();
    }
}
