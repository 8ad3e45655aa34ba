package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApplicationWiringTest {

    @Test
    void acceptsRestartDelaysInCamelDurationSyntax() {
        assertThat(ApplicationWiring.restartDelay("5s")).isEqualTo(5_000);
        assertThat(ApplicationWiring.restartDelay(" 1m30s ")).isEqualTo(90_000);
        assertThat(ApplicationWiring.restartDelay("250")).isEqualTo(250);
    }

    @Test
    void rejectsARestartDelayThatIsNotADurationNamingTheKey() {
        assertThatThrownBy(() -> ApplicationWiring.restartDelay("soon"))
                .hasMessageContaining("camrelay.streams.restart-initial-delay is 'soon'").hasMessageContaining("30s");
        assertThatThrownBy(() -> ApplicationWiring.restartDelay("10ms")).hasMessageContaining("at least 100ms");
    }
}
