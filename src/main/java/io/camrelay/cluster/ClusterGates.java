package io.camrelay.cluster;

import io.camrelay.streams.StreamGate;
import io.camrelay.streams.StreamOutputsRegistry;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelPreemptiveClusterService;

/** Makes the cluster gate {@code camrelay.cluster.*} asks for, with its service registered in the context. */
public final class ClusterGates {

    private ClusterGates() {
    }

    /**
     * The gates of the cluster {@code property} configures: none without one ({@code camrelay.cluster.type=none}),
     * else one {@link ClusterGate} whose lifecycle is added to {@code camel} as a service (after the streams'
     * outputs, so it stops before them and unpublishes this node's streams while it still leads them).
     */
    public static List<StreamGate> create(CamelContext camel, Function<String, Optional<String>> property) {
        ClusterSettings settings = ClusterSettings.read(property);
        if (settings.type() == ClusterType.NONE) {
            return List.of();
        }
        CamelPreemptiveClusterService service = settings.type() == ClusterType.ZOOKEEPER
                ? new CuratorClusterService(settings.nodeId(), settings.zookeeperConnect(),
                        (int) settings.sessionTimeout().toMillis(), settings.basePath())
                : new LeaseClusterService(settings);
        StreamOutputsRegistry outputs = StreamOutputsRegistry.lookup(camel);
        ClusterGate gate = new ClusterGate(service, settings.nodeId(), settings.describe(), new ClusterGate.Outputs() {
            @Override
            public boolean unpublished(String streamId) {
                return outputs.unpublished(streamId);
            }

            @Override
            public void closeAndWait(String streamId) {
                outputs.closeAndWait(streamId);
            }
        });
        try {
            camel.addService(gate.lifecycle(camel), true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the cluster service: " + e.getMessage(), e);
        }
        return List.of(gate);
    }
}
