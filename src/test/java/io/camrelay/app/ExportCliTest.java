package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExportCliTest {

    @Test
    void readsTheOptionsInAnyOrder() {
        ExportCli.Options o = ExportCli.parse(new String[] {"-o", "clip.flv", "--to", "2026-11-21T14:09:00Z",
            "--camera", "Gate", "--demo", "--from", "2026-11-21T14:02:00Z"});

        assertThat(o).isEqualTo(new ExportCli.Options("Gate", "2026-11-21T14:02:00Z", "2026-11-21T14:09:00Z", null,
                Path.of("clip.flv"), true));
    }

    @Test
    void aMissingOrUnknownOptionIsAUsageErrorWithExitCodeTwo() {
        assertThatThrownBy(() -> ExportCli.parse(new String[] {"--camera", "Gate"})).hasMessage("--from is missing");
        assertThatThrownBy(() -> ExportCli.parse(new String[] {"--speed", "2"})).hasMessage("unknown argument "
                + "'--speed'");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new ExportCli(System.out, new PrintStream(err, true, StandardCharsets.UTF_8), false)
                .run(new String[] {"--camera"});

        assertThat(code).isEqualTo(ExportCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("camrelay export: --camera needs a value",
                "usage: camrelay export --camera");
    }
}
