package io.camrelay.rtmp;

import io.camrelay.media.FlvTag;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/** A Camel context with {@code from("direct:in").to(uri)} and a paced feeder, for the integration tests. */
final class RtmpRoutes implements AutoCloseable {

    final CamelContext context = new DefaultCamelContext();
    final StatusRecorder status = new StatusRecorder();
    private final ProducerTemplate template;

    RtmpRoutes(String uri) throws Exception {
        context.getRegistry().bind("status", status);
        String full = uri + (uri.contains("?") ? "&" : "?") + "publisherListener=#status&statusInterval=200";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("rtmp-test").to(full);
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    /** Sends one tag. */
    void send(FlvTag tag) {
        template.sendBody("direct:in", tag);
    }

    /** Sends tags paced by their timestamps (as a camera would), shifted by {@code offsetMs}. */
    void feedLive(List<FlvTag> tags, long offsetMs) throws InterruptedException {
        long start = System.nanoTime();
        long first = tags.get(0).timestamp();
        for (FlvTag tag : tags) {
            long dueNanos = start + (tag.timestamp() - first) * 1_000_000L;
            long wait = dueNanos - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            }
            template.sendBody("direct:in", offsetMs == 0 ? tag : tag.withTimestamp(tag.timestamp() + offsetMs));
        }
    }

    @Override
    public void close() {
        context.stop();
    }
}
