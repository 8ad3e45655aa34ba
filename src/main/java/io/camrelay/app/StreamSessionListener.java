package io.camrelay.app;

import io.camrelay.imageserver.XProtectConsumer;
import io.camrelay.imageserver.XProtectSessionListener;
import io.camrelay.imageserver.session.ImageServerSessionState;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamOutputs;
import io.camrelay.streams.StreamOutputsRegistry;
import io.camrelay.streams.StreamState;
import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.streams.StreamTracker;

/**
 * Shows each stream route's ImageServer session in the stream's status (docs/design.md §6) and tells the stream's
 * outputs when the camera side is lost (docs/design.md §7a): STARTING; RECONNECTING with the reason, which makes the
 * outputs hold at once and shows as {@code sourceLastError}; a session re-established after that counts as one of
 * the stream's {@code sourceReconnects} (the same while the recorder reports the camera disconnected from it); ERROR
 * with the reason, which makes the outputs send nothing until the
 * failure handling (which the session's escalation reaches) has decided to hold or to end the broadcast. STREAMING
 * is set by the outputs at the first key frame; STOPPED by the reconciler. Bound as {@value #BEAN_NAME}; called on
 * the session's event loop, touches only the registries.
 */
public final class StreamSessionListener implements XProtectSessionListener {

    /** The bean name the route template refers to ({@code sessionListener=#streamSessionListener}). */
    public static final String BEAN_NAME = "streamSessionListener";

    private final StreamStatusRegistry registry;
    private final StreamOutputsRegistry outputs;

    public StreamSessionListener(StreamStatusRegistry registry, StreamOutputsRegistry outputs) {
        this.registry = registry;
        this.outputs = outputs;
    }

    @Override
    public void stateChanged(XProtectConsumer consumer, ImageServerSessionState state, String reason) {
        stateChanged(StreamDefinition.streamIdOf(consumer.getRouteId()), state, reason);
    }

    /** As {@link #stateChanged(XProtectConsumer, ImageServerSessionState, String)}, for stream {@code streamId}. */
    void stateChanged(String streamId, ImageServerSessionState state, String reason) {
        StreamTracker tracker = streamId == null ? null : registry.stream(streamId);
        if (tracker == null) {
            return;
        }
        StreamOutputs out = outputs == null ? null : outputs.get(streamId).orElse(null);
        switch (state) {
            case STARTING -> {
                tracker.sourceSessionStarted();
                tracker.state(StreamState.STARTING, null);
            }
            // A camera disconnected from its recorder is a loss of the camera side too, with its own reason. The
            // outputs hold first, with the reason already the last error: whoever watches the state (the alerts, the
            // console's history) sees STREAMING -> HOLDING, never a RECONNECTING of a moment on the way (an alert due
            // at that moment said RECONNECTING of a stream that was holding).
            case RECONNECTING, CAMERA_DISCONNECTED -> {
                tracker.sourceLost(reason);
                tracker.lastError(reason);
                if (out != null) {
                    out.cameraLost(reason);
                }
                tracker.state(StreamState.RECONNECTING, reason);
            }
            case ERROR -> {
                tracker.sourceLost(reason);
                tracker.state(StreamState.ERROR, reason);
                if (out != null) {
                    out.awaitDecision(reason);
                }
            }
            case STREAMING -> tracker.sourceSessionStreaming();
            case STOPPED -> {
                // the reconciler's to show
            }
        }
    }
}
