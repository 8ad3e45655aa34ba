/**
 * More than one CamRelay for the same cameras (docs/cluster.md): each stream is a namespace of a Camel cluster
 * service, ZooKeeper ({@link io.camrelay.cluster.CuratorClusterService}, CamRelay's own preemptive service on
 * Curator's leader latches) or Kubernetes (camel-kubernetes' Lease service), so exactly one node streams it; the
 * {@link io.camrelay.cluster.ClusterGate} keeps it in STANDBY on the others, spreads the streams evenly over the live
 * nodes and hands a moved stream over only after its destinations unpublished here.
 *
 * <p>May import: io.camrelay.streams, io.camrelay.support.
 */
package io.camrelay.cluster;
