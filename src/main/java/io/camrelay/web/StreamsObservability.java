package io.camrelay.web;

import io.camrelay.streams.*;
import io.camrelay.support.MeterNames;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/** Connects the status registry to Camel's health checks and, when metrics are on, to the Prometheus registry. */
public final class StreamsObservability {

    private StreamsObservability() {
    }

    /**
     * Registers the per-stream health checks and the stream meters. Call once the context is started (the metrics
     * registry of camel-micrometer-prometheus exists only then), e.g. from a {@code MainListener.afterStart}.
     *
     * @return the metrics binder, or {@code null} when metrics are off
     */
    public static StreamMetrics install(CamelContext camel, StreamStatusRegistry registry) {
        HealthCheckRegistry health = HealthCheckRegistry.get(camel);
        if (health != null && health.getCheck(StreamsHealthCheckRepository.ID).isEmpty()) {
            health.register(new StreamsHealthCheckRepository(registry));
        }
        MeterRegistry meters = camel.getRegistry().lookupByNameAndType(MeterNames.REGISTRY_BEAN,
                MeterRegistry.class);
        return meters == null ? null : StreamMetrics.bind(meters, registry);
    }
}
