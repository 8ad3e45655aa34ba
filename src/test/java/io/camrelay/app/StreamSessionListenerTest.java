package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.imageserver.session.ImageServerSessionState;
import io.camrelay.media.FlvTag;
import io.camrelay.streams.Destination;
import io.camrelay.streams.DestinationTypes;
import io.camrelay.streams.HoldDecision;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamOutputsRegistry;
import io.camrelay.streams.StreamSource;
import io.camrelay.streams.StreamState;
import io.camrelay.streams.StreamStatus;
import io.camrelay.streams.StreamStatusRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The camera side's session as the stream's status shows it to whoever watches the state (the alerts, the console's
 * history): a lost camera of a stream on air is HOLDING at once, with the loss's reason.
 */
class StreamSessionListenerTest {

    private static final String LOST = "camera 'Lobby' is disconnected from its recorder";

    private final StreamStatusRegistry registry = new StreamStatusRegistry();
    private final List<StreamStatus> seen = new CopyOnWriteArrayList<>();
    private CamelContext camel;
    private StreamOutputsRegistry outputs;
    private StreamSessionListener listener;

    @BeforeEach
    void streamOnAir() throws Exception {
        camel = new DefaultCamelContext();
        camel.start();
        StreamingDestinationType streaming = new StreamingDestinationType();
        StreamDefinition lobby = new StreamDefinition("lobby", "Lobby", "cam", null, true,
                List.of(new Destination("x://youtube", false)), StreamSource.FILE);
        registry.define(lobby);
        outputs = new StreamOutputsRegistry(camel, registry, new DestinationTypes(List.of(streaming)),
                HoldDecision.ALWAYS);
        outputs.open(lobby);
        listener = new StreamSessionListener(registry, outputs);
        listener.stateChanged("lobby", ImageServerSessionState.STARTING, null);
        outputs.get("lobby").orElseThrow().deliver(List.of(FlvTag.video(0, true, false, false,
                new byte[] {0x17, 1, 0, 0, 0})), Long.MIN_VALUE);
        listener.stateChanged("lobby", ImageServerSessionState.STREAMING, null);
        assertThat(registry.snapshot("lobby").orElseThrow().state()).isEqualTo(StreamState.STREAMING);
        registry.addListener((status, before) -> seen.add(status));
    }

    @AfterEach
    void stop() throws Exception {
        outputs.stop();
        camel.stop();
    }

    @Test
    void aCameraLostOnAirGoesStraightToHoldingWithItsReasonNeverThroughAMomentOfReconnecting() {
        listener.stateChanged("lobby", ImageServerSessionState.CAMERA_DISCONNECTED, LOST);

        assertThat(seen).extracting(StreamStatus::state).containsExactly(StreamState.HOLDING);
        assertThat(seen.get(0).lastError()).isEqualTo(LOST);
        assertThat(seen.get(0).sourceLastError()).isEqualTo(LOST);
    }

    @Test
    void aSessionLostWhileAlreadyHoldingChangesNothingAWatcherSees() {
        listener.stateChanged("lobby", ImageServerSessionState.RECONNECTING, "ImageServer closed the connection");
        listener.stateChanged("lobby", ImageServerSessionState.STARTING, null);
        listener.stateChanged("lobby", ImageServerSessionState.CAMERA_DISCONNECTED, LOST);

        assertThat(seen).extracting(StreamStatus::state).containsExactly(StreamState.HOLDING);
        assertThat(registry.snapshot("lobby").orElseThrow().lastError()).isEqualTo(LOST);
    }
}
