package io.camrelay.imageserver;

import io.camrelay.imageserver.session.ImageServerSessionState;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** UP while the consumer's ImageServer session is streaming; DOWN with the state and reason otherwise. */
final class XProtectConsumerHealthCheck extends AbstractHealthCheck {

    private final XProtectConsumer consumer;

    XProtectConsumerHealthCheck(XProtectConsumer consumer, String id) {
        super("camel", id);
        this.consumer = consumer;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ImageServerSessionState state = consumer.getState();
        builder.detail("camera.id", consumer.getCameraId());
        builder.detail("session.state", state.name());
        builder.detail("frames.received", consumer.getFramesReceived());
        builder.detail("reconnects", consumer.getReconnectCount());
        String lastError = consumer.getLastError();
        if (lastError != null) {
            builder.detail("last.error", lastError);
        }
        if (state == ImageServerSessionState.STREAMING) {
            builder.up();
        } else {
            builder.message("ImageServer session of camera " + consumer.getCameraId() + " is " + state
                    + (lastError == null ? "" : ": " + lastError));
            builder.down();
        }
    }
}
