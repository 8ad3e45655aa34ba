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
        this(key, false);
    }

    /** With {@code copyTimestamps} ffmpeg keeps the received timestamps ({@code -copyts}) instead of starting at 0. */
    FfmpegListen(String key, boolean copyTimestamps) throws IOException {
        Files.createDirectories(Path.of("target", "ffmpeg-listen"));
        Path dir = Files.createTempDirectory(Path.of("target", "ffmpeg-listen"), "out-");
        output = dir.resolve("out.flv");
        log = dir.resolve("ffmpeg.log");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(Tools.require("ffmpeg"), "-v",
                "error", "-y"));
        if (copyTimestamps) {
            cmd.add("-copyts");
        }
        cmd.addAll(java.util.List.of("-listen", "1", "-i", "rtmp://127.0.0.1:" + port + "/live/" + key, "-c", "copy",
                "-f", "flv", output.toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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

    /**
     * What ffmpeg complained about, except the "Input/output error" with which it reports any RTMP input ending
     * when the publisher closes the connection after deleteStream.
     */
    String errorsBesidesEndOfInput() throws IOException {
        return log().lines().filter(l -> !l.endsWith(": Input/output error"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        process.destroy();
    }
}
