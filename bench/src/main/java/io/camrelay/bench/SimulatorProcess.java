package io.camrelay.bench;

import io.camrelay.simulator.ClipFile;
import io.camrelay.simulator.RecordingLayout;
import io.camrelay.simulator.SimulatedCamera;
import io.camrelay.simulator.SimulatorPacing;
import io.camrelay.simulator.XProtectSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The load benchmark's cameras, in a process of their own so that the relay's CPU excludes them: the XProtect
 * simulator with N cameras all playing one external clip (loaded once, shared). Writes {@code simulator.json} (base
 * URL, credentials, camera ids) to the report directory, then answers {@code pacing} with the ImageServer's pacing.
 *
 * <pre>java -cp benchmarks.jar io.camrelay.bench.SimulatorProcess --clip c.h264 --fps 25 --cameras 10 --dir d</pre>
 *
 * <p>{@code --recorded-minutes M} gives each camera M minutes of continuous recording before it started (the export
 * benchmark, bench/export.py).
 */
public final class SimulatorProcess {

    private SimulatorProcess() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = new BenchArgs(argv);
        ClipFile clip = ClipFile.h264(Path.of(args.get("clip")), args.getInt("fps", 25));
        int n = args.getInt("cameras", 10);
        Path dir = Path.of(args.get("dir"));
        List<SimulatedCamera> cameras = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = UUID.nameUUIDFromBytes(("bench-camera-" + i).getBytes(StandardCharsets.UTF_8)).toString();
            cameras.add(XProtectSimulator.camera(id, "Bench " + i, clip));
        }
        // recordings for the export benchmark: --recorded-minutes of continuous recording before the start
        int recorded = args.getInt("recorded-minutes", 0);
        XProtectSimulator.Builder builder = XProtectSimulator.builder().cameras(cameras);
        if (recorded > 0) {
            builder.recordings(RecordingLayout.continuous(java.time.Duration.ofMinutes(recorded)));
        }
        try (XProtectSimulator vms = builder.build().start()) {
            ControlLoop.write(dir, "simulator", "{\"url\":\"" + vms.baseUrl() + "\",\"username\":\"" + vms.username()
                    + "\",\"password\":\"" + vms.password() + "\",\"imageServerPort\":" + vms.imageServerPort()
                    + ",\"cameras\":[" + cameras.stream().map(c -> "\"" + c.id() + "\"")
                    .collect(Collectors.joining(",")) + "]}");
            ControlLoop.run(dir, command -> pacing(vms.imageServer().pacing()));
        }
    }

    private static String pacing(SimulatorPacing p) {
        return "{\"framesSent\":" + p.framesSent() + ",\"framesSkipped\":" + p.framesSkipped() + ",\"framesLate\":"
                + p.framesLate() + ",\"maxLatenessMicros\":" + p.maxLatenessMicros() + "}";
    }
}
