package io.camrelay.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportSettingsTest {

    @Test
    void theDefaultsAreTheArchitectureCardsAndHalfAGigabyteOfFreeSpace() {
        ExportSettings s = ExportSettings.from(k -> null);

        assertThat(s.dir()).isEqualTo(Path.of("exports"));
        assertThat(s.maxConcurrent()).isEqualTo(2);
        assertThat(s.keep()).isEqualTo(Duration.ofDays(7));
        assertThat(s.maxDuration()).isEqualTo(Duration.ofHours(24));
        assertThat(s.minFreeSpace()).isEqualTo(512L << 20);
    }

    @Test
    void sizesTakeBytesAndBinaryUnits() {
        assertThat(ExportSettings.bytes("x", "1048576")).isEqualTo(1 << 20);
        assertThat(ExportSettings.bytes("x", "2GB")).isEqualTo(2L << 30);
        assertThat(ExportSettings.bytes("x", "10 kb")).isEqualTo(10 << 10);
        assertThat(ExportSettings.bytes("x", "0")).isZero();
    }

    @Test
    void aWrongValueIsRefusedNamingTheKeyAndTheExpectedForm() {
        assertThatThrownBy(() -> ExportSettings.from(Map.of(ExportSettings.MAX_CONCURRENT, "many")::get))
                .hasMessage("camrelay.exports.max-concurrent is 'many': expected a number from 1 to 16");
        assertThatThrownBy(() -> ExportSettings.from(Map.of(ExportSettings.MIN_FREE_SPACE, "lots")::get))
                .hasMessageContaining("camrelay.exports.min-free-space is 'lots': expected a size such as 512MB");
        assertThatThrownBy(() -> ExportSettings.from(Map.of(ExportSettings.KEEP, "forever")::get))
                .hasMessageContaining("camrelay.exports.keep is 'forever'");
    }

    @Test
    void aFormatOtherThanMp4OrFlvIsRefusedNamingTheField() {
        assertThat(ExportFormat.parse(null)).isEqualTo(ExportFormat.MP4);
        assertThat(ExportFormat.parse("FLV")).isEqualTo(ExportFormat.FLV);
        assertThatThrownBy(() -> ExportFormat.parse("mkv")).isInstanceOf(ExportRequestException.class)
                .hasMessage("format 'mkv' is not one CamRelay writes (expected mp4 or flv)")
                .extracting(e -> ((ExportRequestException) e).field()).isEqualTo("format");
    }
}
