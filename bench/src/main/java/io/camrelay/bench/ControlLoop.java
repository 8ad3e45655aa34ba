package io.camrelay.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The harness drives a benchmark process through its stdin: each line is a command ({@code mark}, {@code report});
 * the answer is written as {@code <dir>/<command>.json} (atomically, via a rename) so the process's stdout stays free
 * for its log. {@code stop} or the end of stdin ends the loop.
 */
final class ControlLoop {

    private ControlLoop() {
    }

    static void run(Path dir, Function<String, String> answer) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.trim();
            if (command.isEmpty()) {
                continue;
            }
            if (command.equals("stop")) {
                return;
            }
            write(dir, command, answer.apply(command));
        }
    }

    static void write(Path dir, String name, String json) throws IOException {
        Path tmp = dir.resolve(name + ".json.tmp");
        Files.writeString(tmp, json);
        Files.move(tmp, dir.resolve(name + ".json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
