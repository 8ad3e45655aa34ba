package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {

    @TempDir
    Path dir;

    @Test
    void aRunThatStartedCamRelayMarksTheArchiveItsJvmWritesAsItExits() {
        Path archive = dir.resolve("camrelay-cds-1.new-42.jsa");

        ClassDataArchive.stopping(List.of("-Xmx256m", "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off"), true);

        assertThat(dir.resolve("camrelay-cds-1.new-42.jsa.ok")).exists();
    }

    @Test
    void aRunThatNeverStartedLeavesNoMarkSoTheNextLaunchWritesTheArchiveAgain() {
        Path archive = dir.resolve("camrelay-cds-1.new-42.jsa");

        ClassDataArchive.stopping(List.of("-XX:ArchiveClassesAtExit=" + archive), false);

        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void withoutTheLaunchersFlagNothingIsWritten() throws Exception {
        ClassDataArchive.stopping(List.of("-Xmx256m", "-XX:SharedArchiveFile=" + dir.resolve("a.jsa")), true);

        assertThat(dir).isEmptyDirectory();
        assertThat(ClassDataArchive.requested(List.of("-XX:ArchiveClassesAtExit=/a.jsa",
                "-XX:ArchiveClassesAtExit=/b.jsa"))).as("the JVM takes the last one").contains(Path.of("/b.jsa"));
    }

    @Test
    void aMarkerThatCannotBeWrittenDoesNotFailTheShutdown() throws Exception {
        Path archive = dir.resolve("missing-folder/camrelay-cds-1.new-42.jsa");

        ClassDataArchive.stopping(List.of("-XX:ArchiveClassesAtExit=" + archive), true);

        assertThat(Files.exists(archive.getParent())).isFalse();
    }
}
