package io.camrelay.cluster;

import io.camrelay.support.Durations;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The cluster's settings (architecture §13, docs/cluster.md), read from CamRelay's properties.
 *
 * @param type                 none, zookeeper or kubernetes
 * @param nodeId               this node's name in the cluster and in the status's {@code owner}
 * @param zookeeperConnect     {@code host:port[,host:port]} of the ZooKeeper ensemble
 * @param sessionTimeout       the ZooKeeper session timeout asked for (the server may bound it)
 * @param basePath             the ZooKeeper path under which CamRelay keeps its members and leader latches
 * @param kubernetesMasterUrl  the Kubernetes API server; null: the client's own discovery (in a pod: the service
 *                             account)
 * @param kubernetesNamespace  the namespace of the pods and leases; null: the pod's own
 * @param kubernetesLabels     the labels of CamRelay's pods (the members are the ready pods carrying them)
 * @param leaseDuration        how long a pod that took a Kubernetes lease waits before it streams
 * @param renewDeadline        how long a leader goes without renewing before it stops its streams
 * @param retryPeriod          how often leases are checked and renewed
 */
public record ClusterSettings(ClusterType type, String nodeId, String zookeeperConnect, Duration sessionTimeout,
                              String basePath, String kubernetesMasterUrl, String kubernetesNamespace,
                              Map<String, String> kubernetesLabels, Duration leaseDuration, Duration renewDeadline,
                              Duration retryPeriod) {

    /** Property: none | zookeeper | kubernetes. */
    public static final String TYPE = "camrelay.cluster.type";
    /** Property: this node's id (default: the host name; in Kubernetes it must be the pod's name). */
    public static final String NODE_ID = "camrelay.cluster.node-id";
    /** Property: the ZooKeeper ensemble. */
    public static final String ZOOKEEPER_CONNECT = "camrelay.cluster.zookeeper.connect";
    /** Property: the ZooKeeper session timeout. */
    public static final String SESSION_TIMEOUT = "camrelay.cluster.zookeeper.session-timeout";
    /** Property: the ZooKeeper base path. */
    public static final String BASE_PATH = "camrelay.cluster.zookeeper.base-path";
    /** Property: the Kubernetes API server. */
    public static final String KUBERNETES_MASTER_URL = "camrelay.cluster.kubernetes.master-url";
    /** Property: the Kubernetes namespace. */
    public static final String KUBERNETES_NAMESPACE = "camrelay.cluster.kubernetes.namespace";
    /** Property: the labels of the pods, {@code key=value[,key=value]}. */
    public static final String KUBERNETES_LABELS = "camrelay.cluster.kubernetes.labels";
    /** Property: the lease duration. */
    public static final String LEASE_DURATION = "camrelay.cluster.kubernetes.lease-duration";
    /** Property: the renew deadline. */
    public static final String RENEW_DEADLINE = "camrelay.cluster.kubernetes.renew-deadline";
    /** Property: the retry period. */
    public static final String RETRY_PERIOD = "camrelay.cluster.kubernetes.retry-period";

    /**
     * 10 s: a killed node's streams are published elsewhere within about 11-13 s, a partitioned node stops at 2/3 of
     * it (docs/cluster.md, "Timing").
     */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** The ZooKeeper base path. */
    public static final String DEFAULT_BASE_PATH = "/camrelay";
    /** The labels of the sample Deployment (README "Running more than one node"). */
    public static final String DEFAULT_LABELS = "app=camrelay";
    /**
     * 5 s (Camel's default is 15 s): a pod that takes a lease (its holder's pod no longer ready) waits this long before
     * it starts the stream, so the old holder has stopped (docs/cluster.md, "Kubernetes").
     */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(5);
    /** 4 s: a leader that could not read its lease for this long stops its stream. */
    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(4);
    /** 1 s. */
    public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(1);

    /** A node id: a ZooKeeper path segment, a Kubernetes pod name, readable in the status. */
    static final Pattern NODE_ID_RULE = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$");
    private static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(2);

    public ClusterSettings {
        kubernetesLabels = Map.copyOf(kubernetesLabels);
    }

    /** No cluster. */
    public static final ClusterSettings NONE = new ClusterSettings(ClusterType.NONE, null, null,
            DEFAULT_SESSION_TIMEOUT, DEFAULT_BASE_PATH, null, null, Map.of(), DEFAULT_LEASE_DURATION,
            DEFAULT_RENEW_DEADLINE, DEFAULT_RETRY_PERIOD);

    /**
     * The settings {@code property} gives (CamRelay's properties: file, environment, system properties); fails naming
     * the key, the value and what is expected.
     */
    public static ClusterSettings read(Function<String, Optional<String>> property) {
        ClusterType type = ClusterType.parse(value(property, TYPE).orElse("none"));
        if (type == ClusterType.NONE) {
            return NONE;
        }
        String nodeId = value(property, NODE_ID).orElseGet(ClusterSettings::hostName);
        if (!NODE_ID_RULE.matcher(nodeId).matches()) {
            throw new IllegalArgumentException(NODE_ID + " is '" + nodeId + "': expected up to 63 letters, digits, '.',"
                    + " '_' or '-', starting and ending with a letter or digit");
        }
        String connect = value(property, ZOOKEEPER_CONNECT).orElse(null);
        if (type == ClusterType.ZOOKEEPER && connect == null) {
            throw new IllegalArgumentException(TYPE + "=zookeeper needs " + ZOOKEEPER_CONNECT
                    + " (host:port[,host:port], e.g. zk1:2181,zk2:2181,zk3:2181)");
        }
        Duration session = value(property, SESSION_TIMEOUT)
                .map(v -> Durations.parseAtLeast(SESSION_TIMEOUT, v, MIN_SESSION_TIMEOUT, "2s"))
                .orElse(DEFAULT_SESSION_TIMEOUT);
        String base = value(property, BASE_PATH).orElse(DEFAULT_BASE_PATH);
        if (!base.startsWith("/") || base.endsWith("/") || base.contains("//")) {
            throw new IllegalArgumentException(BASE_PATH + " is '" + base + "': expected an absolute ZooKeeper path"
                    + " such as /camrelay");
        }
        Duration lease = duration(property, LEASE_DURATION, DEFAULT_LEASE_DURATION);
        Duration renew = duration(property, RENEW_DEADLINE, DEFAULT_RENEW_DEADLINE);
        Duration retry = duration(property, RETRY_PERIOD, DEFAULT_RETRY_PERIOD);
        if (renew.compareTo(lease) >= 0 || retry.multipliedBy(6).dividedBy(5).compareTo(renew) >= 0) {
            throw new IllegalArgumentException(RENEW_DEADLINE + " (" + Durations.human(renew) + ") must be shorter than "
                    + LEASE_DURATION + " (" + Durations.human(lease) + ") and longer than 1.2 x " + RETRY_PERIOD
                    + " (" + Durations.human(retry) + ")");
        }
        return new ClusterSettings(type, nodeId, connect, session, base,
                value(property, KUBERNETES_MASTER_URL).orElse(null), value(property, KUBERNETES_NAMESPACE).orElse(null),
                labels(value(property, KUBERNETES_LABELS).orElse(DEFAULT_LABELS)), lease, renew, retry);
    }

    /** What the log and the status say of the cluster: "ZooKeeper at zk1:2181" or "Kubernetes leases". */
    public String describe() {
        return type == ClusterType.ZOOKEEPER ? "ZooKeeper at " + zookeeperConnect : "Kubernetes leases";
    }

    private static Optional<String> value(Function<String, Optional<String>> property, String key) {
        return property.apply(key).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static Duration duration(Function<String, Optional<String>> property, String key, Duration dflt) {
        return value(property, key).map(v -> Durations.parseAtLeast(key, v, Duration.ofMillis(100), "100ms"))
                .orElse(dflt);
    }

    static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException(KUBERNETES_LABELS + " is '" + text + "': expected key=value[,key=value]");
            }
            labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return labels;
    }

    /** In a pod HOSTNAME is the pod's name, which Kubernetes membership needs; elsewhere the host's name. */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot find this host's name for " + NODE_ID + ": set it", e);
        }
    }
}
