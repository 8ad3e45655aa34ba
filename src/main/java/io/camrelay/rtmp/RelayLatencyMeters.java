package io.camrelay.rtmp;

import io.camrelay.support.MeterNames;
import io.camrelay.rtmp.client.FrameLatencyListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;

/**
 * Records each video frame's receive → RTMP socket write time, and the start-up of each publish, in the Micrometer
 * registry the status server's {@code /observe/metrics} serves. One timer for all destinations, without tags: a
 * destination's URL would carry its stream key, and a hundred per-destination histograms would bloat the scrape.
 * Micrometer's timers are lock-free, so recording on the event loop neither blocks nor allocates.
 */
final class RelayLatencyMeters implements FrameLatencyListener {

    /** Histogram range: loopback relaying takes tens of µs; a stalled destination drops frames after ~1 s. */
    static final Duration MIN_EXPECTED = Duration.ofNanos(10_000);
    static final Duration MAX_EXPECTED = Duration.ofSeconds(10);

    private final Timer latency;
    private final Timer startup;

    private RelayLatencyMeters(MeterRegistry meters) {
        latency = timer(RtmpConstants.LATENCY_METER, "video frame received to written to the RTMP socket", meters);
        startup = timer(RtmpConstants.STARTUP_METER,
                "first key frame of a publish received to written to the RTMP socket", meters);
    }

    /** The meters in {@code context}'s registry, or null (nothing recorded) when no meter registry is bound. */
    static RelayLatencyMeters lookup(CamelContext context) {
        MeterRegistry meters = context.getRegistry().lookupByNameAndType(MeterNames.REGISTRY_BEAN,
                MeterRegistry.class);
        return meters == null ? null : new RelayLatencyMeters(meters);
    }

    @Override
    public void written(long latencyNanos, boolean firstOfPublish) {
        latency.record(latencyNanos, TimeUnit.NANOSECONDS);
        if (firstOfPublish) {
            startup.record(latencyNanos, TimeUnit.NANOSECONDS);
        }
    }

    private static Timer timer(String name, String description, MeterRegistry meters) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(MIN_EXPECTED).maximumExpectedValue(MAX_EXPECTED).register(meters);
    }
}
