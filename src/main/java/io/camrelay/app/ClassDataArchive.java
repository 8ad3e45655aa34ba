package io.camrelay.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class-data archive bin/camrelay asks the JVM to write as it exits ({@code -XX:ArchiveClassesAtExit}, the
 * launcher's first run for a jar and a Java): when this run started CamRelay, its classes are the ones worth
 * archiving, and a marker file ({@value #MARKER} beside the archive) tells the next launch to keep the archive; a run
 * that stopped before (a configuration error) leaves none, so the next run writes a new one. docs/performance.md,
 * "Round two, step six".
 */
final class ClassDataArchive {

    /** The launcher's flag, as the JVM reports it. */
    static final String FLAG = "-XX:ArchiveClassesAtExit=";
    /** Appended to the archive's path: the marker the launcher looks for. */
    static final String MARKER = ".ok";

    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);

    private ClassDataArchive() {
    }

    /** The archive the JVM writes as it exits, if it was asked to. */
    static Optional<Path> requested(List<String> jvmArguments) {
        return jvmArguments.stream().filter(a -> a.startsWith(FLAG)).reduce((first, last) -> last)
                .map(a -> Path.of(a.substring(FLAG.length())));
    }

    /** Called as CamRelay ends: marks the archive to keep when {@code started} (the server ran). */
    static void stopping(List<String> jvmArguments, boolean started) {
        Optional<Path> archive = requested(jvmArguments);
        if (archive.isEmpty() || !started) {
            return;
        }
        Path marker = Path.of(archive.get() + MARKER);
        try {
            Files.writeString(marker, "");
            LOG.info("writing the class-data archive {} for faster starts (once for this jar and this Java, a few"
                    + " seconds)", archive.get());
        } catch (IOException e) {
            LOG.warn("could not mark the class-data archive {} to keep ({}); starts take as long as this one did",
                    archive.get(), e.toString());
        }
    }
}
