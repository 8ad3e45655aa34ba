package io.camrelay.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real tools the tests rely on (ffmpeg, ffprobe, nginx, stunnel). A missing tool fails the test with the
 * command that installs it; it never skips (DEVELOPERS.md: in CI a missing tool fails the run).
 */
public final class Tools {

    /** What a finished process printed. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result requireSuccess(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed with exit code " + exitCode + ":\n" + stderr + stdout);
            }
            return this;
        }
    }

    private Tools() {
    }

    /** The absolute path of {@code tool} on PATH or in /usr/sbin; fails with the install command when missing. */
    public static String require(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.add("/usr/sbin");
        dirs.add("/usr/bin");
        for (String dir : dirs) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, tool);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        throw new AssertionError(tool + " is not installed; the tests need it. Run scripts/test.sh (as root it "
                + "installs what is missing), or: sudo apt-get install -y " + String.join(" ", DEBIAN_PACKAGES));
    }

    /** The Debian packages the tests run for real; scripts/test.sh installs the same list. */
    static final List<String> DEBIAN_PACKAGES = List.of("ffmpeg", "nginx", "libnginx-mod-rtmp", "stunnel4",
            "chromium", "openssl");

    /** Runs a command to completion (bounded by {@code timeoutSeconds}) and returns what it printed. */
    public static Result run(long timeoutSeconds, String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, require(cmd.get(0)));
        try {
            Path out = Files.createTempFile("tool-out", ".txt");
            Path err = Files.createTempFile("tool-err", ".txt");
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("could not run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + cmd.get(0), e);
        }
    }
}
