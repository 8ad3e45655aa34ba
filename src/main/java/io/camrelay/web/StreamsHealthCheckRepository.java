package io.camrelay.web;

import io.camrelay.streams.*;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * One health check per stream ({@code camrelay/stream:<id>}), shown by {@code /observe/health}: DOWN while the stream
 * is in ERROR, with its masked last error. Readiness only: a stream in ERROR does not mean the process should be
 * restarted.
 */
public final class StreamsHealthCheckRepository implements HealthCheckRepository {

    /** The repository id. */
    public static final String ID = "camrelay-streams";
    /** The group of the per-stream checks. */
    public static final String GROUP = "camrelay";

    private final StreamStatusRegistry registry;
    private final Map<String, HealthCheck> checks = new ConcurrentHashMap<>();
    private boolean enabled = true;

    public StreamsHealthCheckRepository(StreamStatusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        checks.keySet().retainAll(registry.ids());
        return registry.ids().stream().map(id -> checks.computeIfAbsent(id, StreamCheck::new));
    }

    /** The check of one stream. */
    private final class StreamCheck extends AbstractHealthCheck {
        private final String streamId;

        StreamCheck(String streamId) {
            super(GROUP, "stream:" + streamId);
            this.streamId = streamId;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            StreamStatus s = registry.snapshot(streamId).orElse(null);
            if (s == null) {
                builder.up();
                return;
            }
            builder.detail("stream.id", s.id());
            builder.detail("stream.state", s.state().name());
            if (s.lastError() != null) {
                builder.detail("stream.lastError", s.lastError());
            }
            if (s.state() == StreamState.ERROR) {
                builder.message("stream " + s.id() + " is in ERROR: " + s.lastError());
                builder.down();
            } else {
                builder.up();
            }
        }
    }
}
