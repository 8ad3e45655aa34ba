package io.camrelay.app;

import io.camrelay.imageserver.XProtectConsumer;
import io.camrelay.imageserver.XProtectSessionListener;
import io.camrelay.imageserver.session.ImageServerSessionState;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamState;
import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.streams.StreamTracker;

/**
 * Shows each stream route's ImageServer session in the stream's status (docs/design.md §6): STARTING, RECONNECTING
 * (also while the recorder reports the camera disconnected from it) and ERROR with the reason. STREAMING is set by
 * the frame recorder at the first key frame; STOPPED by the reconciler. Bound as {@value #BEAN_NAME}; called on the
 * session's event loop, touches only the registry.
 */
public final class StreamSessionListener implements XProtectSessionListener {

    /** The bean name the route template refers to ({@code sessionListener=#streamSessionListener}). */
    public static final String BEAN_NAME = "streamSessionListener";

    private final StreamStatusRegistry registry;

    public StreamSessionListener(StreamStatusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void stateChanged(XProtectConsumer consumer, ImageServerSessionState state, String reason) {
        String streamId = StreamDefinition.streamIdOf(consumer.getRouteId());
        StreamTracker tracker = streamId == null ? null : registry.stream(streamId);
        if (tracker == null) {
            return;
        }
        switch (state) {
            case STARTING -> tracker.state(StreamState.STARTING, null);
            // a camera disconnected from its recorder heals when the recorder has it back: waiting, with the reason
            case RECONNECTING, CAMERA_DISCONNECTED -> tracker.state(StreamState.RECONNECTING, reason);
            case ERROR -> tracker.state(StreamState.ERROR, reason);
            case STREAMING, STOPPED -> {
                // STREAMING waits for a key frame (FrameStatusRecorder); STOPPED is the reconciler's to show
            }
        }
    }
}
