package io.camrelay.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsMillisecondsAndAmountsWithUnits() {
        assertThat(Durations.parse("k", "30000")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("k", "1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("k", " 11h ")).isEqualTo(Duration.ofHours(11));
        assertThat(Durations.parse("k", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("k", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("k", "2M")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aWrongValueIsRefusedNamingTheSettingTheValueAndTheForm() {
        assertThatThrownBy(() -> Durations.parse("hold.maxDuration", "ten minutes"))
                .hasMessage("hold.maxDuration is 'ten minutes': expected " + Durations.EXPECTED);
        assertThatThrownBy(() -> Durations.parse("k", "-5s")).hasMessageContaining("'-5s'");
        assertThatThrownBy(() -> Durations.parse("k", "99999999999999999999d")).hasMessageContaining("too long");
        assertThatThrownBy(() -> Durations.parseAtLeast("camrelay.streams.poll-interval", "500ms",
                Duration.ofSeconds(1), "1s")).hasMessage("camrelay.streams.poll-interval is '500ms': expected at least 1s");
    }

    @Test
    void humanDurationsReadNaturally() {
        assertThat(Durations.human(Duration.ofMinutes(5))).isEqualTo("5 min");
        assertThat(Durations.human(Duration.ofSeconds(252))).isEqualTo("4 min 12 s");
        assertThat(Durations.human(Duration.ofSeconds(30))).isEqualTo("30 s");
        assertThat(Durations.human(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(Durations.human(Duration.ofHours(4))).isEqualTo("4 h");
        assertThat(Durations.human(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
    }
}
