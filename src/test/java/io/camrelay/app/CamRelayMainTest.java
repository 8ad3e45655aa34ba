package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CamRelayMainTest {

    @TempDir
    Path dir;

    private PropertiesComponent properties(Path operatorFile) {
        CamelContext camel = new DefaultCamelContext();
        PropertiesComponent pc = camel.getPropertiesComponent();
        pc.setLocation(CamRelayMain.configLocations(operatorFile.toString()));
        return pc;
    }

    @Test
    void theOperatorsFileOverridesTheBuiltInDefaults() throws Exception {
        Path file = Files.writeString(dir.resolve("application.properties"),
                "camrelay.status.port = 8099\ncamrelay.streams.poll-interval = 2m\ncamrelay.streams.file =\n");
        PropertiesComponent pc = properties(file);

        assertThat(pc.resolveProperty("camrelay.status.port")).contains("8099");
        assertThat(pc.resolveProperty("camrelay.streams.poll-interval")).contains("2m");
        assertThat(pc.resolveProperty("camrelay.streams.file").orElse("").strip())
                .as("an empty value means no streams file and must not fall back to the default")
                .isEmpty();
        // keys the operator does not set keep their defaults
        assertThat(pc.resolveProperty("camrelay.status.host")).contains("127.0.0.1");
        assertThat(pc.resolveProperty("camel.main.name")).contains("CamRelay");
    }

    @Test
    void withoutAnOperatorsFileTheDefaultsApply() {
        PropertiesComponent pc = properties(dir.resolve("missing.properties"));

        assertThat(pc.resolveProperty("camrelay.streams.file")).contains("config/streams.yaml");
        assertThat(pc.resolveProperty("camrelay.streams.poll-interval")).contains("30s");
    }
}
