package io.camrelay.streams;

import java.util.List;

/**
 * A set of definitions from one source: the valid streams, and the streams that are defined but invalid (they go to ERROR,
 * the others run).
 *
 * @param streams  valid definitions, in file order
 * @param problems invalid streams with the reason
 */
public record DefinitionSet(List<StreamDefinition> streams, List<StreamProblem> problems) {

    /** No file configured: no streams. */
    public static final DefinitionSet EMPTY = new DefinitionSet(List.of(), List.of());

    public DefinitionSet {
        streams = List.copyOf(streams);
        problems = List.copyOf(problems);
    }
}
