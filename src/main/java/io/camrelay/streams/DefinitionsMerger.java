package io.camrelay.streams;

import io.camrelay.support.Secrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the streams file and the XProtect plugin items once per poll and merges them: the file wins on id clashes
 * (a WARN names the id), an invalid stream goes to ERROR without touching the others, and a source that cannot be
 * read this time (broken file, VMS unreachable) keeps its last good definitions. Not thread-safe: the definitions
 * route calls it from one thread.
 */
public final class DefinitionsMerger {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionsMerger.class);

    private final StreamsFileLoader loader;
    private final Path file;
    private DefinitionSet lastGoodFile = DefinitionSet.EMPTY;
    private DefinitionSet lastGoodXProtect = DefinitionSet.EMPTY;
    private String lastFileError;
    private String lastXProtectError;
    private final Set<String> warnedClashes = new HashSet<>();

    /**
     * @param loader the streams file loader
     * @param file   the streams file ({@code camrelay.streams.file}), or {@code null} for none
     */
    public DefinitionsMerger(StreamsFileLoader loader, Path file) {
        this.loader = loader;
        this.file = file;
    }

    /**
     * One poll.
     *
     * @param xprotectItems reads the definitions stored in XProtect (may throw when the VMS cannot be reached), or
     *                      {@code null} when {@code camrelay.streams.from-xprotect} is off
     */
    public DesiredStreams poll(Supplier<DefinitionSet> xprotectItems) {
        String fileError = null;
        if (file == null) {
            lastGoodFile = DefinitionSet.EMPTY;
        } else {
            try {
                lastGoodFile = loader.load(file);
                if (lastFileError != null) {
                    LOG.info("{} is usable again", file);
                }
                lastFileError = null;
            } catch (StreamsFileException e) {
                fileError = e.getMessage();
                if (!fileError.equals(lastFileError)) {
                    LOG.error("{}\nThe streams defined before stay as they are until the file is fixed.", fileError);
                }
                lastFileError = fileError;
            }
        }
        String xprotectError = null;
        if (xprotectItems == null) {
            lastGoodXProtect = DefinitionSet.EMPTY;
        } else {
            try {
                lastGoodXProtect = xprotectItems.get();
                lastXProtectError = null;
            } catch (RuntimeException e) {
                xprotectError = "the stream items in XProtect could not be read: "
                        + Secrets.messageOf(e) + " (the streams read before are kept)";
                if (!xprotectError.equals(lastXProtectError)) {
                    LOG.warn(xprotectError);
                }
                lastXProtectError = xprotectError;
            }
        }
        DesiredStreams merged = merge(lastGoodFile, lastGoodXProtect);
        return new DesiredStreams(merged.streams(), merged.problems(), fileError, xprotectError);
    }

    /** Merges file and XProtect definitions; the file wins on id clashes, with a WARN naming the id (once). */
    DesiredStreams merge(DefinitionSet fromFile, DefinitionSet fromXProtect) {
        Map<String, String> fileIds = new HashMap<>();
        fromFile.streams().forEach(d -> fileIds.put(d.id(), d.name()));
        fromFile.problems().forEach(p -> fileIds.put(p.id(), p.name()));
        List<StreamDefinition> streams = new ArrayList<>(fromFile.streams());
        List<StreamProblem> problems = new ArrayList<>(fromFile.problems());
        Set<String> clashes = new HashSet<>();
        for (StreamDefinition d : fromXProtect.streams()) {
            if (fileIds.containsKey(d.id())) {
                clashes.add(d.id());
            } else {
                streams.add(d);
            }
        }
        for (StreamProblem p : fromXProtect.problems()) {
            if (fileIds.containsKey(p.id())) {
                clashes.add(p.id());
            } else {
                problems.add(p);
            }
        }
        for (String id : clashes) {
            if (warnedClashes.add(id)) {
                LOG.warn("stream id '{}' is defined both in {} and in XProtect (RTMP Streamer plugin): using the"
                        + " file's definition; rename one of them to run both", id, file == null ? "the file" : file);
            }
        }
        warnedClashes.retainAll(clashes);
        return new DesiredStreams(streams, problems, null, null);
    }
}
