package io.camrelay.streams;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * One definitions poll: read the streams file and the XProtect items, merge, reconcile. The definitions route calls
 * it on its timer, on one thread (quartz {@code stateful=true}).
 */
public final class StreamDefinitionsPoller implements Processor {

    /** Property: the streams file (docs/design.md §4). */
    public static final String FILE_PROPERTY = "camrelay.streams.file";
    /** The default streams file. */
    public static final String DEFAULT_FILE = "config/streams.yaml";

    private final DefinitionsMerger merger;
    private final StreamReconciler reconciler;
    private final Supplier<DefinitionSet> xprotectItems;

    /**
     * @param merger        reads and merges the definitions
     * @param reconciler    applies them to the routes
     * @param xprotectItems reads the definitions stored in XProtect (the RTMP Streamer items), or {@code null} when
     *                      {@code camrelay.streams.from-xprotect} is off
     */
    public StreamDefinitionsPoller(DefinitionsMerger merger, StreamReconciler reconciler,
                                   Supplier<DefinitionSet> xprotectItems) {
        this.merger = Objects.requireNonNull(merger, "merger");
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.xprotectItems = xprotectItems;
    }

    /** The streams file of {@code camrelay.streams.file}: {@code null} when the value is empty (no local streams). */
    public static Path streamsFile(String configured) {
        return configured == null || configured.isBlank() ? null : Path.of(configured.strip());
    }

    /** Polls once and returns what was applied. */
    public DesiredStreams poll() {
        DesiredStreams desired = merger.poll(xprotectItems);
        reconciler.reconcile(desired);
        return desired;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setBody(poll());
    }
}
