package io.camrelay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.testing.LogCapture;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupBannerTest {

    private static final long MIB = 1L << 20;
    /** What JVM defaults give on the 24 GB load-benchmark machine: a quarter of its memory. */
    private static final long DEFAULT_HEAP_ON_24_GB = 6 * 1024 * MIB;
    private static final List<String> NO_HEAP_OPTIONS = List.of("-Dfile.encoding=UTF-8",
            "-XX:+ExitOnOutOfMemoryError");

    @Test
    void theJvmDefaultHeapOfALargeMachineIsUnbounded() {
        assertThat(StartupBanner.heapUnbounded(NO_HEAP_OPTIONS, DEFAULT_HEAP_ON_24_GB)).isTrue();
        assertThat(StartupBanner.heapUnbounded(List.of(), 1024 * MIB + 1)).isTrue();
    }

    @Test
    void theLaunchersHeapOptionsBoundTheHeap() {
        List<String> launcher = List.of("-Xmx256m", "-XX:MaxNewSize=32m", "-XX:+UseSerialGC");
        assertThat(StartupBanner.heapUnbounded(launcher, 256 * MIB)).isFalse();
    }

    @Test
    void anExplicitLargeHeapIsTheOperatorsChoice() {
        assertThat(StartupBanner.heapUnbounded(List.of("-Xmx4g"), 4096 * MIB)).isFalse();
        assertThat(StartupBanner.heapUnbounded(List.of("-XX:MaxHeapSize=4294967296"), 4096 * MIB)).isFalse();
        assertThat(StartupBanner.heapUnbounded(List.of("-XX:MaxRAMPercentage=50"), 12 * 1024 * MIB)).isFalse();
    }

    @Test
    void aDefaultHeapOfAtMostOneGibibyteIsBoundedInPractice() {
        assertThat(StartupBanner.heapUnbounded(List.of(), 1024 * MIB)).isFalse();
        assertThat(StartupBanner.heapUnbounded(List.of(), 512 * MIB)).isFalse();
    }

    @Test
    void initialOrYoungGenerationSizesAloneDoNotBoundTheHeap() {
        List<String> notABound = List.of("-Xms2g", "-XX:MaxNewSize=32m", "-XX:InitialRAMPercentage=10");
        assertThat(StartupBanner.heapUnbounded(notABound, DEFAULT_HEAP_ON_24_GB)).isTrue();
    }

    @Test
    void anUnboundedHeapIsWarnedAboutOnceNamingTheLauncherAndTheOptions() {
        try (LogCapture logs = LogCapture.capture()) {
            StartupBanner.logHeap(NO_HEAP_OPTIONS, DEFAULT_HEAP_ON_24_GB);

            assertThat(logs.count("WARN", "JVM heap is not bounded (max 6144 MB)")).isEqualTo(1);
            assertThat(logs.text()).contains("run CamRelay with bin/camrelay, or add -Xmx256m -XX:MaxNewSize=32m -XX:+UseSerialGC "
                    + "(see README, Running 24/7)");
            assertThat(logs.count("INFO", "JVM max heap")).isZero();
        }
    }

    @Test
    void aBoundedHeapIsLoggedOnceAtInfoWithoutWarning() {
        try (LogCapture logs = LogCapture.capture()) {
            StartupBanner.logHeap(List.of("-Xmx256m", "-Dcamrelay.xprotect.password=Secret-1"), 256 * MIB);

            assertThat(logs.count("INFO", "JVM max heap 256 MB")).isEqualTo(1);
            assertThat(logs.count("WARN", "")).isZero();
            assertThat(logs.text()).doesNotContain("Secret-1");
        }
    }
}
