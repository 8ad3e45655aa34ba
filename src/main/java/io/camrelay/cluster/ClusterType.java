package io.camrelay.cluster;

import java.util.Locale;

/** What {@value ClusterSettings#TYPE} names: no cluster, ZooKeeper or Kubernetes leases. */
public enum ClusterType {
    NONE,
    ZOOKEEPER,
    KUBERNETES;

    /** The type named {@code value} (any case); fails naming the value and the choices. */
    static ClusterType parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "none" -> NONE;
            case "zookeeper" -> ZOOKEEPER;
            case "kubernetes" -> KUBERNETES;
            default -> throw new IllegalArgumentException(ClusterSettings.TYPE + " is '" + value.strip()
                    + "': expected none, zookeeper or kubernetes");
        };
    }
}
