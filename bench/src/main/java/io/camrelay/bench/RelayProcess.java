package io.camrelay.bench;

import io.camrelay.imageserver.XProtectConstants;
import io.camrelay.rtmp.RtmpConstants;
import io.camrelay.rtmp.client.RtmpPublisherListener;
import io.camrelay.rtmp.client.RtmpPublisherStats;
import io.camrelay.streams.CodecValidationProcessor;
import io.camrelay.streams.FlvTaggingProcessor;
import io.camrelay.streams.SilentAudioProcessor;
import io.camrelay.streams.StreamMetrics;
import io.camrelay.streams.StripHeaderProcessor;
import io.camrelay.xprotect.VmsSession;
import io.camrelay.xprotect.XProtectConfiguration;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * CamRelay's side of the load benchmark, until the application's stream route is wired (a later step runs the real
 * jar instead): N routes {@code xprotect:<camera>} → strip header → validate codec → FLV tagging → silent AAC →
 * {@code rtmp://…/cam<i>}, the same components and processors (one instance each per route) as the app's stream
 * route, with a {@link VmsSession} on the simulator and a Prometheus registry bound where the status server looks for
 * it. Answers {@code mark} and {@code report} (see {@link ControlLoop}) with the latency histogram counts, the
 * start-up figures and the publishers' frame counters.
 *
 * <pre>java -cp benchmarks.jar io.camrelay.bench.RelayProcess --url U --username u --password p
 *      --cameras id1,id2 --rtmp rtmp://127.0.0.1:1935/live/ --sample rtmp://127.0.0.1:1935/rec/ --dir d</pre>
 */
public final class RelayProcess {

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Latest snapshot per route (the masked destination URLs are all alike). */
    private final Map<Integer, RtmpPublisherStats> publishers = new ConcurrentHashMap<>();
    private final FirstFrameProbe probe = new FirstFrameProbe();
    private List<CountAtBucket> markedLatency = List.of();

    private RelayProcess() {
    }

    public static void main(String[] argv) throws Exception {
        new RelayProcess().run(new BenchArgs(argv));
    }

    private void run(BenchArgs args) throws Exception {
        String[] cameras = args.get("cameras", "").isBlank() ? new String[0] : args.get("cameras").split(",");
        String rtmp = args.get("rtmp");
        String sample = args.get("sample", rtmp);
        Path dir = Path.of(args.get("dir"));
        try (VmsSession vms = new VmsSession(XProtectConfiguration.of(args.get("url"), args.get("username"),
                args.get("password"))); CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("vms", vms);
            camel.getRegistry().bind(StreamMetrics.METER_REGISTRY_BEAN, meters);
            for (int i = 0; i < cameras.length; i++) {
                int route = i;
                camel.getRegistry().bind("benchStatus" + i, (RtmpPublisherListener) s -> publishers.put(route, s));
            }
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (int i = 0; i < cameras.length; i++) {
                        from("xprotect:" + cameras[i] + "?bridgeErrorHandler=true").routeId("cam" + i)
                                .process(new StripHeaderProcessor())
                                .process(probe.forRoute())
                                .process(new CodecValidationProcessor(false, "Bench " + i))
                                .process(new FlvTaggingProcessor())
                                .process(new SilentAudioProcessor())
                                .to((i == 0 ? sample : rtmp) + "cam" + i + "?publisherListener=#benchStatus" + i);
                    }
                }
            });
            camel.start();
            ControlLoop.write(dir, "started", "{\"routes\":" + cameras.length + "}");
            ControlLoop.run(dir, this::answer);
        }
    }

    private String answer(String command) {
        Timer latency = meters.find(RtmpConstants.LATENCY_METER).timer();
        Timer startup = meters.find(RtmpConstants.STARTUP_METER).timer();
        List<CountAtBucket> counts = latency == null ? List.of() : List.of(latency.takeSnapshot().histogramCounts());
        StringBuilder json = new StringBuilder("{");
        json.append("\"latencyWindow\":").append(LatencyWindow.between(markedLatency, counts).json());
        if (latency != null) {
            json.append(",\"latencyCount\":").append(latency.count())
                    .append(",\"latencyRecentMaxMs\":").append(latency.max(TimeUnit.NANOSECONDS) / 1e6);
        }
        if (startup != null) {
            json.append(",\"startupCount\":").append(startup.count())
                    .append(",\"startupMaxMs\":").append(startup.max(TimeUnit.NANOSECONDS) / 1e6)
                    .append(",\"startupMeanMs\":").append(startup.mean(TimeUnit.NANOSECONDS) / 1e6);
        }
        long sent = 0;
        long dropped = 0;
        long reconnects = 0;
        long streaming = 0;
        for (RtmpPublisherStats s : publishers.values()) {
            sent += s.framesSent();
            dropped += s.framesDropped();
            reconnects += s.reconnects();
            streaming += s.state().name().equals("STREAMING") ? 1 : 0;
        }
        json.append(",\"framesSent\":").append(sent).append(",\"framesDropped\":").append(dropped)
                .append(",\"reconnects\":").append(reconnects).append(",\"streaming\":").append(streaming)
                .append(",\"firstKeyFrames\":").append(probe.count())
                .append(",\"firstKeyFrameTransitMaxMs\":").append(probe.maxTransitMs()).append('}');
        if (command.equals("mark")) {
            markedLatency = counts;
        }
        return json.toString();
    }

    /**
     * Notes, per route, how long the camera's first key frame took from the simulator (its picture time, stamped as
     * it is sent) to the relay's receive: the first part of the start-up time; the producer's start-up timer is the
     * second. One boolean test per frame after that.
     */
    static final class FirstFrameProbe {
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong maxTransitMicros = new AtomicLong();

        Processor forRoute() {
            return new Processor() {
                private boolean seen;

                @Override
                public void process(Exchange exchange) {
                    if (seen || !Boolean.TRUE.equals(exchange.getMessage().getHeader(XProtectConstants.KEY_FRAME))) {
                        return;
                    }
                    seen = true;
                    Long received = exchange.getMessage().getHeader(XProtectConstants.RECEIVE_TIME_NANOS, Long.class);
                    Long picture = exchange.getMessage().getHeader(XProtectConstants.PICTURE_TIME, Long.class);
                    if (received != null && picture != null) {
                        long receivedWallMicros = System.currentTimeMillis() * 1000
                                - (System.nanoTime() - received) / 1000;
                        maxTransitMicros.accumulateAndGet(receivedWallMicros - picture * 1000, Math::max);
                        count.incrementAndGet();
                    }
                }
            };
        }

        long count() {
            return count.get();
        }

        double maxTransitMs() {
            return maxTransitMicros.get() / 1000.0;
        }
    }
}
