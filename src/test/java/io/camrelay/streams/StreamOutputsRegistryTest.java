package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.camrelay.media.FlvTag;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry's hold timer on the real clock: one task ticks every open stream's outputs. */
class StreamOutputsRegistryTest {

    private static final byte[] KEY = {0x17, 1, 0, 0, 0, 0x65, 1, 2, 3};
    private static final byte[] HEADER = {0x17, 0, 0, 0, 0, 1, 0x42, 0, 0x1E};

    private final StreamStatusRegistry status = new StreamStatusRegistry();
    private final RecordingDestinationType recording = new RecordingDestinationType();
    private final CamelContext camel = new DefaultCamelContext();
    private final StreamOutputsRegistry registry = new StreamOutputsRegistry(camel, status,
            new DestinationTypes(List.of(recording)), HoldDecision.ALWAYS);

    @AfterEach
    void close() throws Exception {
        registry.stop();
        registry.shutdown();
        camel.close();
    }

    private StreamDefinition open(String id) {
        StreamDefinition d = new StreamDefinition(id, id, "cam-" + id, null, true,
                List.of(new Destination("test://" + id, false)), StreamSource.FILE, HoldSettings.DEFAULT, null);
        status.define(d).state(StreamState.STARTING, null);
        registry.open(d);
        return d;
    }

    private void keyFrame(String id) {
        registry.get(id).orElseThrow().deliver(List.of(FlvTag.video(0, true, true, false, HEADER),
                FlvTag.video(0, true, false, false, KEY)), System.nanoTime());
    }

    @Test
    void everyOpenStreamWhoseCameraFallsSilentStartsItsHoldAndAClosedOneIsLeftAlone() {
        List<String> ids = IntStream.range(0, 40).mapToObj(i -> "cam" + i).toList();
        ids.forEach(this::open);
        ids.forEach(this::keyFrame);
        assertThat(ids).allSatisfy(id -> assertThat(status.stream(id).currentState()).isEqualTo(StreamState.STREAMING));
        registry.close("cam7");

        // no picture for the stall time (1.5 s at least): each of the others holds, ticked by the one timer task
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ids).filteredOn(id -> !id.equals("cam7"))
                .allSatisfy(id -> assertThat(status.stream(id).currentState()).as(id).isEqualTo(StreamState.HOLDING)));
        assertThat(status.stream("cam7").currentState()).isNotEqualTo(StreamState.HOLDING);
    }
}
