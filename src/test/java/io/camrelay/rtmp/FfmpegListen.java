package io.camrelay.rtmp;

import io.camrelay.testing.Ports;
import io.camrelay.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code ffmpeg -listen 1 -i rtmp://127.0.0.1:PORT/live/key -c copy out.flv}: a second, stricter RTMP server. */
final class FfmpegListen implements AutoCloseable {

    final int port = Ports.free();
    final Path output;
    private final Process process;
    private final Path log;

    FfmpegListen(String key) throws IOException {
        Files.createDirectories(Path.of("target", "ffmpeg-listen"));
        Path dir = Files.createTempDirectory(Path.of("target", "ffmpeg-listen"), "out-");
        output = dir.resolve("out.flv");
        log = dir.resolve("ffmpeg.log");
        process = new ProcessBuilder(Tools.require("ffmpeg"), "-v", "error", "-y", "-listen", "1", "-i",
                "rtmp://127.0.0.1:" + port + "/live/" + key, "-c", "copy", "-f", "flv", output.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Ports.awaitListeningWithoutConnecting(port, 10_000, "ffmpeg -listen");
    }

    String url(String key) {
        return "rtmp://127.0.0.1:" + port + "/live/" + key;
    }

    /** Waits for ffmpeg to finish writing (it exits when the publisher disconnects). */
    Path awaitOutput() throws Exception {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("ffmpeg -listen did not exit after the publisher left: " + Files.readString(log));
        }
        return output;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        process.destroy();
    }
}
