package io.camrelay.streams;

import java.util.List;

/**
 * The streams file cannot be used at all (not YAML, wrong shape, a stream without a usable id, duplicate ids): the
 * message names the file, line and field of each problem. The previous definitions stay in force.
 */
public class StreamsFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public StreamsFileException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public StreamsFileException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    /** Each problem, one sentence naming file, line and field. */
    public List<String> problems() {
        return problems;
    }
}
