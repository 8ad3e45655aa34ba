package io.camrelay.app;

import io.camrelay.exports.CameraCatalog;
import io.camrelay.exports.ExportFormat;
import io.camrelay.exports.ExportRequestException;
import io.camrelay.exports.ExportRun;
import io.camrelay.exports.ExportService;
import io.camrelay.exports.ExportSettings;
import io.camrelay.exports.ExportState;
import io.camrelay.simulator.XProtectSimulator;
import io.camrelay.support.Secrets;
import io.camrelay.vms.VmsConfiguration;
import io.camrelay.vms.VmsSession;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code bin/camrelay export --camera <id|name> --from <ISO> --to <ISO> [--format mp4|flv] -o FILE [--demo]}
 * (architecture §11): the same export job as the API's, in this process, with the XProtect settings of
 * {@code config/application.properties} and the environment; a progress bar on a terminal, a line per 10 % otherwise.
 * Exit code 0 only when the file is complete; 1 when the export failed, 2 for a wrong command line, 130 when
 * interrupted. {@code --demo} exports from the embedded simulator.
 */
final class ExportCli {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int INTERRUPTED = 130;
    static final String USAGE_TEXT = "usage: camrelay export --camera <id|name> --from <ISO-8601> --to <ISO-8601> "
            + "[--format mp4|flv] -o <file> [--demo]\n  e.g. camrelay export --camera Gate --from 2026-11-21T14:02:00Z "
            + "--to 2026-11-21T14:09:00Z -o clip.mp4";
    private static final int BAR_WIDTH = 30;
    private static final long BAR_REFRESH_NANOS = 200_000_000L;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    ExportCli(PrintStream out, PrintStream err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** The command line after {@code export}. */
    record Options(String camera, String from, String to, String format, Path output, boolean demo) {
    }

    static int main(String[] args) {
        Configurator.setRootLevel(Level.WARN);
        Configurator.setLevel("io.camrelay", Level.WARN);
        return new ExportCli(System.out, System.err, System.console() != null).run(args);
    }

    int run(String[] args) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("camrelay export: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        XProtectSimulator simulator = null;
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getPropertiesComponent().setLocation(CamRelayMain.configLocations(CamRelayMain.CONFIG_FILE));
            if (options.demo()) {
                simulator = XProtectSimulator.builder().build().start();
                Properties demo = new Properties();
                demo.setProperty(ApplicationWiring.URL, simulator.baseUrl());
                demo.setProperty(ApplicationWiring.USERNAME, simulator.username());
                demo.setProperty(ApplicationWiring.PASSWORD, simulator.password());
                camel.getPropertiesComponent().setOverrideProperties(demo);
            }
            return export(camel, options);
        } catch (Exception e) {
            err.println("camrelay export: " + Secrets.maskUrlsIn(String.valueOf(e.getMessage())));
            return FAILED;
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    private int export(CamelContext camel, Options options) throws Exception {
        var props = camel.getPropertiesComponent();
        String url = props.resolveProperty(ApplicationWiring.URL).map(String::strip).orElse("");
        if (url.isEmpty()) {
            err.println("camrelay export: " + ApplicationWiring.URL + " is not set: set it, "
                    + ApplicationWiring.USERNAME + " and " + ApplicationWiring.PASSWORD + " in "
                    + CamRelayMain.CONFIG_FILE + " (or CAMRELAY_XPROTECT_URL, ... in the environment), or try --demo");
            return USAGE;
        }
        ExportSettings settings = ExportSettings.from(k -> props.resolveProperty(k).orElse(null));
        ExportFormat format;
        Instant from;
        Instant to;
        try {
            format = ExportFormat.parse(options.format() != null ? options.format()
                    : extensionOf(options.output()));
            from = ExportService.time("from", options.from());
            to = ExportService.time("to", options.to());
            if (!to.isAfter(from)) {
                throw new ExportRequestException("to", "--to " + to + " is not after --from " + from);
            }
            if (Duration.between(from, to).compareTo(settings.maxDuration()) > 0) {
                throw new ExportRequestException("to", "the range is longer than " + ExportSettings.MAX_DURATION
                        + " (" + io.camrelay.support.Durations.human(settings.maxDuration()) + "): export it in parts");
            }
        } catch (ExportRequestException e) {
            err.println("camrelay export: --" + e.field() + ": " + e.getMessage());
            return USAGE;
        }
        VmsConfiguration config = new VmsConfiguration();
        config.setUrl(url);
        config.setUsername(props.resolveProperty(ApplicationWiring.USERNAME).map(String::strip).orElse(null));
        config.setPassword(props.resolveProperty(ApplicationWiring.PASSWORD).orElse(null));
        config.setTrustAllCertificates(Boolean.parseBoolean(props.resolveProperty(ApplicationWiring.TRUST_ALL)
                .orElse("false").strip()));
        try (VmsSession vms = new VmsSession(config)) {
            camel.getRegistry().bind(ApplicationWiring.VMS_SESSION_BEAN, vms);
            camel.start();
            CameraCatalog.Camera camera = new VmsCameraCatalog(camel, vms).camera(options.camera()).orElse(null);
            if (camera == null) {
                err.println("camrelay export: --camera: XProtect has no camera '" + options.camera() + "': check its id "
                        + "or exact name in the Management Client");
                return USAGE;
            }
            Path output = options.output().toAbsolutePath();
            Files.createDirectories(output.getParent());
            Path work = Files.createTempDirectory(output.getParent(), ".camrelay-export-");
            Progress progress = new Progress(camera.name());
            ExportRun run = new ExportRun(camel, "export-cli", camera.id(), camera.name(), from, to, format, output,
                    work, settings.minFreeSpace(), progress);
            Thread hook = new Thread(run::cancel, "camrelay-export-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            ExportRun.Outcome outcome;
            try {
                outcome = run.execute();
            } finally {
                deleteTree(work);
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook ran
                }
            }
            progress.end(outcome.state() == ExportState.DONE, outcome.frames(), outcome.bytes());
            if (outcome.state() == ExportState.DONE) {
                out.printf(Locale.ROOT, "wrote %s: camera '%s' %s to %s, %d pictures, %.1f MB%n", output, camera.name(),
                        from, to, outcome.frames(), outcome.bytes() / 1048576.0);
                return OK;
            }
            if (outcome.state() == ExportState.CANCELLED) {
                err.println("camrelay export: interrupted; no file written");
                return INTERRUPTED;
            }
            err.println("camrelay export: " + outcome.error());
            return FAILED;
        }
    }

    static Options parse(String[] args) {
        String camera = null;
        String from = null;
        String to = null;
        String format = null;
        String output = null;
        boolean demo = false;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String a = rest.remove(0);
            if (a.equals("--demo")) {
                demo = true;
                continue;
            }
            if (rest.isEmpty() || !List.of("--camera", "--from", "--to", "--format", "-o", "--output").contains(a)) {
                throw new IllegalArgumentException(rest.isEmpty() && a.startsWith("-") ? a + " needs a value"
                        : "unknown argument '" + a + "'");
            }
            String v = rest.remove(0);
            switch (a) {
                case "--camera" -> camera = v;
                case "--from" -> from = v;
                case "--to" -> to = v;
                case "--format" -> format = v;
                default -> output = v;
            }
        }
        for (String[] required : new String[][] {{"--camera", camera}, {"--from", from}, {"--to", to},
            {"-o", output}}) {
            if (required[1] == null || required[1].isBlank()) {
                throw new IllegalArgumentException(required[0] + " is missing");
            }
        }
        return new Options(camera, from, to, format, Path.of(output), demo);
    }

    private static String extensionOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".flv") ? "flv" : "mp4";
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }

    /** The progress bar on a terminal, or a line per 10 %. */
    private final class Progress implements ExportRun.Progress {
        private final String camera;
        private long lastDraw;
        private int lastTenth = -1;
        private boolean drawn;

        Progress(String camera) {
            this.camera = camera;
        }

        @Override
        public synchronized void update(double progress, long frames, long bytes) {
            if (terminal) {
                long now = System.nanoTime();
                if (now - lastDraw < BAR_REFRESH_NANOS) {
                    return;
                }
                lastDraw = now;
                int filled = (int) Math.round(progress * BAR_WIDTH);
                err.printf(Locale.ROOT, "\r%s [%s%s] %3d%% %d pictures %.1f MB", camera, "#".repeat(filled),
                        " ".repeat(BAR_WIDTH - filled), Math.round(progress * 100), frames, bytes / 1048576.0);
                err.flush();
                drawn = true;
            } else {
                int tenth = (int) Math.floor(progress * 10);
                if (tenth > lastTenth) {
                    lastTenth = tenth;
                    err.printf(Locale.ROOT, "export: %d%% (%d pictures, %.1f MB)%n", tenth * 10, frames,
                            bytes / 1048576.0);
                }
            }
        }

        synchronized void end(boolean complete, long frames, long bytes) {
            if (complete) {
                lastDraw = 0;
                lastTenth = 9;
                update(1, frames, bytes);
            }
            if (drawn) {
                err.println();
            }
        }
    }
}
