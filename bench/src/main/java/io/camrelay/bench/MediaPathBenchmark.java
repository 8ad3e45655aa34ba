package io.camrelay.bench;

import io.camrelay.media.AccessUnits;
import io.camrelay.media.AvcTagger;
import io.camrelay.media.FlvTag;
import io.camrelay.media.GenericByteData;
import io.camrelay.media.SilentAudioInterleaver;
import io.camrelay.media.VideoCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
 * The per-picture media path of a stream route without Camel: GenericByteData packet → strip header → validate codec
 * → FLV tagging (AVC NALU tags, timeline, composition time) → silent AAC interleaving, on 1080p 4 Mbit/s x264
 * material. {@link #copyPacket} is the baseline in the same run: one plain copy of the same packet, the least any
 * relay must do. Both report packets/s (the score) and payload bytes/s (the {@code bytes} secondary result), on one
 * thread, i.e. per core.
 *
 * <p>Material: {@code -Dcamrelay.bench.clip=<file.h264>} (JVM option of the forked run, e.g.
 * {@code -jvmArgsAppend -Dcamrelay.bench.clip=...}); by default {@code target/test-clips/high-1080p.h264} (made by the
 * tests: TestClips.HD_1080P) if present, else {@code bench/target/high-1080p-10s.h264}, encoded here on first use
 * with {@code ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=25 -frames:v 250 -c:v libx264 -profile:v high
 * -preset veryfast -g 50 -bf 0 -b:v 4M -maxrate 4M -bufsize 8M}. Run: {@code bench/run.sh MediaPath -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class MediaPathBenchmark {

    private static final long T0 = 1_763_700_000_000L;
    private static final long INTERVAL_MS = 40;

    /** The packets of the clip, as a recorder sends them. */
    @State(Scope.Benchmark)
    public static class Clip {
        byte[][] packets;

        @Setup(Level.Trial)
        public void load() throws IOException, InterruptedException {
            byte[] stream = Files.readAllBytes(clipPath());
            List<byte[]> units = AccessUnits.split(stream, VideoCodec.H264);
            packets = new byte[units.size()][];
            long sync = T0;
            long bytes = 0;
            for (int i = 0; i < units.size(); i++) {
                byte[] unit = units.get(i);
                long time = T0 + INTERVAL_MS * i;
                boolean key = containsIdr(unit);
                sync = key ? time : sync;
                packets[i] = GenericByteData.encode(VideoCodec.H264.id(), i, key, sync, time, unit);
                bytes += packets[i].length;
            }
            System.out.printf("%nclip: %d packets, mean %d bytes, %.2f Mbit/s at 25 fps%n", packets.length,
                    bytes / packets.length, bytes * 8.0 * 25 / packets.length / 1e6);
        }
    }

    /** One stream's state: what a route holds, and the position in the clip. */
    @State(Scope.Thread)
    public static class Stream {
        AvcTagger tagger;
        SilentAudioInterleaver audio;
        int next;
        long pictures;

        @Setup(Level.Iteration)
        public void reset() {
            tagger = new AvcTagger();
            audio = new SilentAudioInterleaver();
            next = 0;
            pictures = 0;
        }
    }

    @Benchmark
    public List<FlvTag> mediaPath(Clip clip, Stream stream, ByteCounter counter) {
        byte[] packet = clip.packets[stream.next];
        stream.next = (stream.next + 1) % clip.packets.length;
        // strip header (StripHeaderProcessor)
        GenericByteData header = GenericByteData.parse(packet);
        byte[] accessUnit = Arrays.copyOfRange(packet, GenericByteData.HEADER_LENGTH, header.totalLength());
        // validate codec (CodecValidationProcessor)
        if (header.codec() != VideoCodec.H264) {
            throw new IllegalStateException("not H.264: " + header.codec());
        }
        // FLV tagging and silent audio; the clip loops, so keep camera time moving forward as a camera would
        long cameraTime = T0 + INTERVAL_MS * stream.pictures++;
        List<FlvTag> tags = stream.audio.interleave(stream.tagger.tag(accessUnit, cameraTime));
        counter.bytes += packet.length;
        return tags;
    }

    @Benchmark
    public byte[] copyPacket(Clip clip, Stream stream, ByteCounter counter) {
        byte[] packet = clip.packets[stream.next];
        stream.next = (stream.next + 1) % clip.packets.length;
        counter.bytes += packet.length;
        return Arrays.copyOf(packet, packet.length);
    }

    private static boolean containsIdr(byte[] unit) {
        return AnnexBScan.containsNalType(unit, 5);
    }

    static Path clipPath() throws IOException, InterruptedException {
        String configured = System.getProperty("camrelay.bench.clip");
        if (configured != null) {
            return Path.of(configured);
        }
        Path testClip = Path.of("target", "test-clips", "high-1080p.h264");
        if (Files.exists(testClip)) {
            return testClip;
        }
        Path generated = Path.of("bench", "target", "high-1080p-10s.h264");
        if (!Files.exists(generated)) {
            Files.createDirectories(generated.getParent());
            Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=1920x1080:rate=25", "-frames:v", "250", "-pix_fmt", "yuv420p", "-c:v", "libx264",
                    "-profile:v", "high", "-preset", "veryfast", "-g", "50", "-bf", "0", "-b:v", "4M", "-maxrate",
                    "4M", "-bufsize", "8M", "-f", "h264", generated.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("ffmpeg could not encode the benchmark clip (is ffmpeg installed?)");
            }
        }
        return generated;
    }
}
