package io.camrelay.streams;

import java.util.List;

/**
 * The merged result of one definitions poll: what should run, what is defined but broken, and why a source could
 * not be read this time (its previous definitions were kept).
 *
 * @param streams        valid definitions (enabled or not), file before XProtect
 * @param problems       streams that go to ERROR with their reason
 * @param fileError      why the streams file was not used this time, or {@code null}
 * @param xprotectError  why the XProtect items were not read this time, or {@code null}
 */
public record DesiredStreams(List<StreamDefinition> streams, List<StreamProblem> problems, String fileError,
                             String xprotectError) {

    public DesiredStreams {
        streams = List.copyOf(streams);
        problems = List.copyOf(problems);
    }
}
