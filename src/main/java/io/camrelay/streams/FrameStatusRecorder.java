package io.camrelay.streams;

import io.camrelay.imageserver.XProtectConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * A route step that counts each picture in the status of the stream named by the {@code CamRelayStreamId} header:
 * size of the {@code byte[]} body, key frame and picture time from the header-stripping step. The first key frame
 * marks the stream's input STREAMING (the reported state still waits for every destination). One shared instance,
 * bound as {@value #BEAN_NAME}; lock-free per frame. Unknown or missing stream ids are ignored.
 */
public final class FrameStatusRecorder implements Processor {

    /** The bean name the route template refers to. */
    public static final String BEAN_NAME = "frameStatusRecorder";

    private final StreamStatusRegistry registry;

    public FrameStatusRecorder(StreamStatusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String streamId = in.getHeader(XProtectConstants.STREAM_ID, String.class);
        StreamTracker tracker = streamId == null ? null : registry.stream(streamId);
        if (tracker == null) {
            return;
        }
        Object body = in.getBody();
        long size = body instanceof byte[] bytes ? bytes.length : 0;
        boolean keyFrame = Boolean.TRUE.equals(in.getHeader(XProtectConstants.KEY_FRAME, Boolean.class));
        Long pictureTime = in.getHeader(XProtectConstants.PICTURE_TIME, Long.class);
        tracker.onFrame(size, keyFrame, pictureTime == null ? 0 : pictureTime);
        if (keyFrame && tracker.ownState() != StreamState.STREAMING) {
            tracker.state(StreamState.STREAMING, null);
        }
    }
}
