package io.camrelay.cluster;

import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterView;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;

/**
 * camel-kubernetes' preemptive cluster service on {@code coordination.k8s.io} Leases (one per namespace, named
 * {@code camrelay-<namespace>}), whose views start disabled: a node competes only for the streams the spread gives it
 * ({@link ClusterGate}), instead of racing every other node for every stream at start.
 */
final class LeaseClusterService extends KubernetesClusterService {

    /** The prefix of the Lease names. */
    static final String LEASE_PREFIX = "camrelay";

    LeaseClusterService(ClusterSettings settings) {
        setId(settings.nodeId());
        setPodName(settings.nodeId());
        setLeaseResourceType(LeaseResourceType.Lease);
        setKubernetesResourceName(LEASE_PREFIX);
        setClusterLabels(settings.kubernetesLabels());
        setLeaseDurationMillis(settings.leaseDuration().toMillis());
        setRenewDeadlineMillis(settings.renewDeadline().toMillis());
        setRetryPeriodMillis(settings.retryPeriod().toMillis());
        if (settings.kubernetesMasterUrl() != null) {
            setMasterUrl(settings.kubernetesMasterUrl());
        }
        if (settings.kubernetesNamespace() != null) {
            setKubernetesNamespace(settings.kubernetesNamespace());
        }
    }

    @Override
    protected KubernetesClusterView createView(String namespace) throws Exception {
        KubernetesClusterView view = super.createView(namespace);
        view.setDisabled(true);
        return view;
    }
}
