package io.camrelay.simulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * PLACEHOLDER so {@link XProtectSimulator} compiles on the xprotect branch: it only holds a listening port. The
 * imageserver branch owns the real simulated ImageServer with this same API (keep theirs on merge).
 */
public final class ImageServerSimulator implements AutoCloseable {

    private final ImageServerBackend backend;
    private ServerSocket socket;

    public ImageServerSimulator(ImageServerBackend backend) {
        this.backend = backend;
    }

    public void start(String host, int port) throws IOException {
        socket = new ServerSocket(port, 50, InetAddress.getByName(host));
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void inject(String cameraId, Fault fault) {
        backend.camera(cameraId).orElseThrow(() -> new IllegalArgumentException("unknown camera " + cameraId));
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // placeholder: nothing to report
        }
    }
}
