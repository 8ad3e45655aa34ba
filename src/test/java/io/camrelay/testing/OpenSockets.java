package io.camrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM holds open, as Linux reports them ({@code /proc/self/fd} and {@code /proc/net/tcp*}): what a
 * leaked connection costs, whatever Netty's objects say about it. A socket the process closed but the kernel still
 * drains (an orphan) no longer counts.
 */
public final class OpenSockets {

    private OpenSockets() {
    }

    /** Whether this platform can tell (Linux). */
    public static boolean supported() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** How many sockets of this JVM are connected to {@code remotePort} (on any address). */
    public static int connectedTo(int remotePort) {
        Set<String> inodes = socketInodes();
        int count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = read(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String remote = f[2];
                int port = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
                if (port == remotePort && inodes.contains(f[9])) {
                    count++;
                }
            }
        }
        return count;
    }

    private static Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
