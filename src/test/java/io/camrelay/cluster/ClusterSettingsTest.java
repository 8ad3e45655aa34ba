package io.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    private static ClusterSettings read(Map<String, String> props) {
        return ClusterSettings.read(k -> Optional.ofNullable(props.get(k)));
    }

    @Test
    void withoutATypeThereIsNoCluster() {
        assertThat(read(Map.of()).type()).isEqualTo(ClusterType.NONE);
        assertThat(read(Map.of(ClusterSettings.TYPE, " None ")).type()).isEqualTo(ClusterType.NONE);
    }

    @Test
    void zookeeperTakesTheEnsembleTheNodeIdAndTheDefaults() {
        ClusterSettings s = read(Map.of(ClusterSettings.TYPE, "zookeeper", ClusterSettings.ZOOKEEPER_CONNECT,
                "zk1:2181,zk2:2181", ClusterSettings.NODE_ID, "relay-1"));

        assertThat(s.type()).isEqualTo(ClusterType.ZOOKEEPER);
        assertThat(s.zookeeperConnect()).isEqualTo("zk1:2181,zk2:2181");
        assertThat(s.nodeId()).isEqualTo("relay-1");
        assertThat(s.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.basePath()).isEqualTo("/camrelay");
        assertThat(s.describe()).isEqualTo("ZooKeeper at zk1:2181,zk2:2181");
    }

    @Test
    void zookeeperWithoutAnEnsembleIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> read(Map.of(ClusterSettings.TYPE, "zookeeper", ClusterSettings.NODE_ID, "a")))
                .hasMessageContaining(ClusterSettings.ZOOKEEPER_CONNECT);
    }

    @Test
    void anUnknownTypeOrABadNodeIdIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> read(Map.of(ClusterSettings.TYPE, "consul")))
                .hasMessage("camrelay.cluster.type is 'consul': expected none, zookeeper or kubernetes");
        assertThatThrownBy(() -> read(Map.of(ClusterSettings.TYPE, "kubernetes", ClusterSettings.NODE_ID, "a b")))
                .hasMessageContaining("'a b'");
    }

    @Test
    void kubernetesTakesLabelsAndLeaseTimesAndRefusesTimesThatCannotWork() {
        ClusterSettings s = read(Map.of(ClusterSettings.TYPE, "kubernetes", ClusterSettings.NODE_ID, "camrelay-0",
                ClusterSettings.KUBERNETES_LABELS, "app=camrelay,tier=relay"));

        assertThat(s.kubernetesLabels()).containsEntry("app", "camrelay").containsEntry("tier", "relay");
        assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> read(Map.of(ClusterSettings.TYPE, "kubernetes", ClusterSettings.NODE_ID, "n",
                ClusterSettings.RENEW_DEADLINE, "6s"))).hasMessageContaining("must be shorter than");
    }
}
