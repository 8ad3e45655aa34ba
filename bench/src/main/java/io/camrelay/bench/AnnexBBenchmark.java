package io.camrelay.bench;

import io.camrelay.media.AccessUnits;
import io.camrelay.media.AnnexB;
import io.camrelay.media.VideoCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The start-code search of the FLV tagging step ({@link AnnexB#forEachNalUnit}, what {@code AvcTagger} runs on every
 * picture) over the access units of the same 1080p 4 Mbit/s clip as {@link MediaPathBenchmark}. Baselines in the same
 * run: {@link #byteLoopScan}, the byte-at-a-time search AnnexB used before issue 6 (kept here as {@link ByteLoopAnnexB}),
 * and {@link #copyUnit}, one plain copy of the same access unit. All report access units/s (the score) and bytes/s
 * (the {@code bytes} secondary result) on one thread. Run: {@code bench/run.sh AnnexB -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class AnnexBBenchmark {

    private byte[][] units;
    private int next;
    private long nalBytes;
    private final AnnexB.NalUnitConsumer sum = (from, to) -> nalBytes += to - from;

    @Setup(Level.Trial)
    public void load() throws IOException, InterruptedException {
        units = AccessUnits.split(Files.readAllBytes(MediaPathBenchmark.clipPath()), VideoCodec.H264)
                .toArray(byte[][]::new);
    }

    @Benchmark
    public long forEachNalUnit(ByteCounter counter) {
        byte[] unit = nextUnit(counter);
        nalBytes = 0;
        AnnexB.forEachNalUnit(unit, sum);
        return nalBytes;
    }

    @Benchmark
    public long byteLoopScan(ByteCounter counter) {
        byte[] unit = nextUnit(counter);
        nalBytes = 0;
        ByteLoopAnnexB.forEachNalUnit(unit, sum);
        return nalBytes;
    }

    @Benchmark
    public byte[] copyUnit(ByteCounter counter) {
        byte[] unit = nextUnit(counter);
        return Arrays.copyOf(unit, unit.length);
    }

    private byte[] nextUnit(ByteCounter counter) {
        byte[] unit = units[next];
        next = next + 1 == units.length ? 0 : next + 1;
        counter.bytes += unit.length;
        return unit;
    }

    /** AnnexB's start-code search as it was before issue 6: one byte at a time, skipping 3 after a byte above 1. */
    static final class ByteLoopAnnexB {

        private ByteLoopAnnexB() {
        }

        static void forEachNalUnit(byte[] data, AnnexB.NalUnitConsumer consumer) {
            int start = nextStartCode(data, 0);
            while (start >= 0) {
                int nalStart = start + 3;
                int next = nextStartCode(data, nalStart);
                int end = next < 0 ? data.length : next;
                while (end > nalStart && data[end - 1] == 0) {
                    end--;
                }
                if (end > nalStart) {
                    consumer.accept(nalStart, end);
                }
                start = next;
            }
        }

        static int nextStartCode(byte[] data, int from) {
            for (int i = from; i + 2 < data.length; i++) {
                if ((data[i + 2] & 0xFF) > 1) {
                    i += 2;
                } else if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                    return i;
                }
            }
            return -1;
        }
    }
}
