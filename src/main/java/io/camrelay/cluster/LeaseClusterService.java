package io.camrelay.cluster;

import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterView;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.component.kubernetes.cluster.lock.KubernetesLockConfiguration;

/**
 * camel-kubernetes' preemptive cluster service on {@code coordination.k8s.io} Leases (one per namespace, named
 * {@code camrelay-<namespace>}), whose views start disabled: a node competes only for the streams the spread gives it
 * ({@link ClusterGate}), instead of racing every other node for every stream at start.
 */
final class LeaseClusterService extends KubernetesClusterService {

    /** The prefix of the Lease names. */
    static final String LEASE_PREFIX = "camrelay";

    /** The namespace of the pods and Leases; null: the client's (in a pod: the pod's own). */
    private final String kubernetesNamespace;
    /** The API server; null: the client's own discovery (in a pod: the service account's). */
    private final String masterUrl;

    LeaseClusterService(ClusterSettings settings) {
        kubernetesNamespace = settings.kubernetesNamespace();
        masterUrl = settings.kubernetesMasterUrl();
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

    /**
     * Camel's per-view copies of the client and lock configurations lose the master URL and the namespace set on the
     * service (each view then looks for the API server at kubernetes.default.svc and in the client's namespace, which
     * outside a pod is none): set them on each copy.
     */
    @Override
    protected KubernetesConfiguration setConfigDefaults(KubernetesConfiguration configuration,
                                                        KubernetesLockConfiguration lockConfiguration) {
        KubernetesConfiguration config = super.setConfigDefaults(configuration, lockConfiguration);
        if (masterUrl != null) {
            config.setMasterUrl(masterUrl);
        }
        return config;
    }

    @Override
    protected KubernetesLockConfiguration lockConfigWithGroupNameAndDefaults(String groupName) {
        KubernetesLockConfiguration config = super.lockConfigWithGroupNameAndDefaults(groupName);
        if (kubernetesNamespace != null) {
            config.setKubernetesResourcesNamespace(kubernetesNamespace);
        }
        return config;
    }

    @Override
    protected KubernetesClusterView createView(String namespace) throws Exception {
        KubernetesClusterView view = super.createView(namespace);
        view.setDisabled(true);
        return view;
    }
}
