package io.camrelay.rtmp;

import io.camrelay.rtmp.client.RtmpUrl;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.SendDefinition;

/**
 * Keeps stream keys written into raw URIs ({@code to("rtmps://host/app/KEY")}) out of what Camel shows (docs/design.md
 * §8): Camel's sanitiser masks query parameters it knows only, so its route dumps, message-history logs, JMX names and
 * error messages would print the key. Each endpoint's URI is its destination masked ({@link #displayUri}), and every
 * route definition sending to a URI with a key literally in it is made to hold the endpoint instead of the URI, now
 * and for routes added later, so the model Camel dumps and labels shows the masked URI while a route reified again
 * from it still publishes with the key. One per component.
 */
final class MaskedEndpointUris {

    private final RtmpComponent component;
    /** Endpoints by the raw URI they were created for, when it holds a key. */
    private final Map<String, RtmpEndpoint> keyed = new ConcurrentHashMap<>();
    /** Per masked destination, the destinations (keys differ) seen, so that each endpoint's URI is unique. */
    private final Map<String, List<RtmpUrl>> seen = new HashMap<>();
    private final AtomicBoolean watchingModel = new AtomicBoolean();

    MaskedEndpointUris(RtmpComponent component) {
        this.component = component;
    }

    /**
     * The URI Camel shows for an endpoint to {@code destination} with {@code options}: the destination masked
     * ({@code rtmps://a.rtmps.youtube.com/live2/****}), the options, and {@code #2}, {@code #3}... when another key
     * goes to the same place.
     */
    synchronized String displayUri(RtmpUrl destination, Map<String, Object> options) {
        String masked = destination.masked();
        List<RtmpUrl> same = seen.computeIfAbsent(masked, k -> new java.util.ArrayList<>());
        int index = same.indexOf(destination);
        if (index < 0) {
            same.add(destination);
            index = same.size() - 1;
        }
        String query = options.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        return masked + (query.isEmpty() ? "" : (masked.contains("?") ? "&" : "?") + query)
                + (index == 0 ? "" : "#" + (index + 1));
    }

    /** {@code endpoint} was created for {@code rawUri}, which holds a key: keep that out of the route model. */
    void add(String rawUri, RtmpEndpoint endpoint) {
        keyed.put(rawUri, endpoint);
        CamelContext camel = component.getCamelContext();
        if (!(camel instanceof ModelCamelContext model)) {
            return;
        }
        if (watchingModel.compareAndSet(false, true)) {
            model.addModelLifecycleStrategy(new Watcher());
        }
        for (RouteDefinition route : List.copyOf(model.getRouteDefinitions())) {
            replaceKeyedUris(route);
        }
    }

    /** Makes each send of {@code route} to a URI with a key hold its endpoint, whose URI is masked. */
    private void replaceKeyedUris(RouteDefinition route) {
        for (SendDefinition<?> send : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(),
                SendDefinition.class)) {
            String uri = send.getEndpoint() == null ? send.getUri() : null;
            RtmpEndpoint endpoint = uri == null ? null : keyed.get(uri);
            if (endpoint != null) {
                send.setEndpoint(endpoint); // its uri becomes the endpoint's, masked; reifying again reuses it
            }
        }
    }

    /** Routes added after the endpoint was made (the endpoint is then taken from Camel's cache, not created). */
    private final class Watcher implements ModelLifecycleStrategy {
        @Override
        public void onAddRouteDefinition(RouteDefinition definition) {
            replaceKeyedUris(definition);
        }

        @Override
        public void onRemoveRouteDefinition(RouteDefinition definition) {
        }

        @Override
        public void onAddRouteTemplateDefinition(RouteTemplateDefinition definition) {
        }

        @Override
        public void onRemoveRouteTemplateDefinition(RouteTemplateDefinition definition) {
        }
    }
}
