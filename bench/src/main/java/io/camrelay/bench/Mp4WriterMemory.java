package io.camrelay.bench;

import io.camrelay.media.FlvTag;
import io.camrelay.media.Mp4Writer;
import io.camrelay.media.SilentAac;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How much heap {@link Mp4Writer} holds as a recording grows: writes synthetic recordings of the given lengths
 * (1080p25 H.264 at 4 Mbit/s with a 2 s GOP, plus the silent 48 kHz AAC track, on the FLV timeline a stream route
 * produces) and reports, per recording, the heap retained by the writer after a full GC at every simulated minute
 * (the largest and the last), the writer's object graph as JOL measures it (when jol-core is on the class path),
 * the bytes {@code write} allocates per sample, the temp files and the output. Memory flat in duration means the
 * 60-minute figures equal the 10-minute ones.
 *
 * <p>Plain Java (no JMH): a heap figure is a state, not a rate. Run {@code bench/mp4-memory.sh [minutes[:kbit/s]
 * ...]}, default {@code 10 60 1440:64} (the last: 24 h at 25 fps with tiny pictures, to show that the number of
 * samples does not matter either). The pictures' bytes are not H.264 (the writer copies them untouched); the
 * sequence header is a real 1080p High SPS and PPS.
 */
public final class Mp4WriterMemory {

    private static final int FPS = 25;
    private static final int GOP = 50;
    private static final long INTERVAL_MS = 1000 / FPS;
    private static final int PICTURES_PER_MINUTE = 60 * FPS;
    /** A key frame is this many times the size of a predicted picture (x264 at 4 Mbit/s, 2 s GOP: about 5). */
    private static final int KEY_FRAME_WEIGHT = 5;
    /** x264's 1080p High SPS and a PPS (the same as H264SpsTest's). */
    private static final byte[] SPS = HexFormat.of().parseHex("67640028acd940780227e5c044000003000400000300c83c60c658");
    private static final byte[] PPS = HexFormat.of().parseHex("68ebecb22c");

    /** One recording to write. */
    record Scenario(int minutes, int kbps) {
        static Scenario parse(String arg) {
            String[] parts = arg.split(":");
            return new Scenario(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 4000);
        }

        String label() {
            return minutes + " min, " + (kbps >= 1000 ? kbps / 1000 + " Mbit/s" : kbps + " kbit/s");
        }
    }

    /** What one recording measured. */
    record Result(Scenario scenario, long videoSamples, long audioSamples, long maxRetained, long lastRetained,
            long graphBytes, double allocatedPerSample, long tempBytes, long fileBytes, double writeSeconds,
            double finishSeconds) {
    }

    private Mp4WriterMemory() {
    }

    public static void main(String[] args) throws IOException {
        List<Scenario> scenarios = new ArrayList<>();
        for (String arg : args.length == 0 ? new String[] {"10", "60", "1440:64"} : args) {
            scenarios.add(Scenario.parse(arg));
        }
        Path dir = Files.createDirectories(Path.of("bench", "target", "mp4-memory"));
        // not reported: loads and initialises what any first writer needs (NIO, the JIT), so that the first
        // recording's baseline heap already holds it like the later ones'
        run(new Scenario(1, 4000), dir);
        List<Result> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            Result r = run(s, dir);
            results.add(r);
            System.out.printf(Locale.ROOT, "%s: retained max %s, last %s%n", s.label(), kib(r.maxRetained()),
                    kib(r.lastRetained()));
        }
        String report = report(results);
        System.out.println();
        System.out.print(report);
        Path resultFile = Path.of("bench", "results", LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm")) + "-mp4-memory.md");
        Files.writeString(resultFile, report, StandardCharsets.UTF_8);
        System.out.println("written to " + resultFile);
    }

    private static Result run(Scenario s, Path dir) throws IOException {
        long pictures = (long) s.minutes() * PICTURES_PER_MINUTE;
        long bytesPerGop = (long) s.kbps() * 1000 / 8 * GOP / FPS;
        int predicted = (int) (bytesPerGop / (GOP - 1 + KEY_FRAME_WEIGHT));
        FlvTag key = picture(true, predicted * KEY_FRAME_WEIGHT);
        FlvTag inter = picture(false, predicted);
        SilentAac aac = SilentAac.DEFAULT;
        FlvTag audioFrame = FlvTag.audio(0, false, aac.frameBody());
        FlvTag[] batch = new FlvTag[8];
        Path temp = Files.createDirectories(dir.resolve("tmp"));
        Path out = dir.resolve("recording.mp4");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();

        long baseline = usedAfterGc(memory);
        Mp4Writer writer = new Mp4Writer(out, temp);
        long maxRetained = 0;
        long lastRetained = 0;
        long allocated = 0; // by write() alone, not by making the tags
        long measuredSamples = 0;
        long audioFrames = 0;
        long started = System.nanoTime();
        writer.write(FlvTag.video(0, true, true, false, sequenceHeader()));
        writer.write(FlvTag.audio(0, true, aac.sequenceHeaderBody()));
        for (long i = 0; i < pictures; i++) {
            long ts = i * INTERVAL_MS;
            int n = 0;
            while (aac.timestampMs(audioFrames) <= ts) {
                batch[n++] = audioFrame.withTimestamp(aac.timestampMs(audioFrames++));
            }
            batch[n++] = (i % GOP == 0 ? key : inter).withTimestamp(ts);
            long before = threads.getThreadAllocatedBytes(thread);
            for (int k = 0; k < n; k++) {
                writer.write(batch[k]);
            }
            if (i >= PICTURES_PER_MINUTE) { // the first minute warms up: JIT, each track's spools at its first sample
                allocated += threads.getThreadAllocatedBytes(thread) - before;
                measuredSamples += n;
            }
            if ((i + 1) % PICTURES_PER_MINUTE == 0) {
                lastRetained = usedAfterGc(memory) - baseline;
                maxRetained = Math.max(maxRetained, lastRetained);
            }
        }
        double writeSeconds = (System.nanoTime() - started) / 1e9;
        long graph = graphSize(writer);
        long tempBytes = directorySize(temp);
        started = System.nanoTime();
        long fileBytes = writer.finish();
        double finishSeconds = (System.nanoTime() - started) / 1e9;
        Files.delete(out);
        return new Result(s, writer.videoSamples(), writer.audioSamples(), maxRetained, lastRetained, graph,
                measuredSamples == 0 ? Double.NaN : (double) allocated / measuredSamples, tempBytes, fileBytes,
                writeSeconds, finishSeconds);
    }

    /** An AVC picture tag of {@code size} payload bytes: one NAL unit of filler content, composition time 0. */
    private static FlvTag picture(boolean key, int size) {
        byte[] body = new byte[5 + 4 + size];
        body[0] = (byte) (key ? 0x17 : 0x27);
        body[1] = 1; // AVCPacketType: NAL units
        body[5] = (byte) (size >>> 24);
        body[6] = (byte) (size >>> 16);
        body[7] = (byte) (size >>> 8);
        body[8] = (byte) size;
        body[9] = (byte) (key ? 0x65 : 0x41);
        return FlvTag.video(0, key, false, false, body);
    }

    /** An AVC sequence header tag body: 17 00 000000, then the AVCDecoderConfigurationRecord of a High profile. */
    private static byte[] sequenceHeader() {
        byte[] record = new byte[6 + 2 + SPS.length + 1 + 2 + PPS.length + 4];
        int p = 0;
        record[p++] = 1; // configurationVersion
        record[p++] = SPS[1];
        record[p++] = SPS[2];
        record[p++] = SPS[3];
        record[p++] = (byte) 0xFF; // 4-byte NAL lengths
        record[p++] = (byte) 0xE1; // one SPS
        record[p++] = 0;
        record[p++] = (byte) SPS.length;
        System.arraycopy(SPS, 0, record, p, SPS.length);
        p += SPS.length;
        record[p++] = 1; // one PPS
        record[p++] = 0;
        record[p++] = (byte) PPS.length;
        System.arraycopy(PPS, 0, record, p, PPS.length);
        p += PPS.length;
        record[p++] = (byte) 0xFD; // 4:2:0
        record[p++] = (byte) 0xF8; // 8-bit luma
        record[p++] = (byte) 0xF8; // 8-bit chroma
        record[p] = 0; // no SPS extensions
        byte[] body = new byte[5 + record.length];
        body[0] = 0x17;
        System.arraycopy(record, 0, body, 5, record.length);
        return body;
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The writer's object graph per JOL, or -1 without jol-core on the class path. */
    private static long graphSize(Object root) {
        try {
            Class<?> layout = Class.forName("org.openjdk.jol.info.GraphLayout");
            Object graph = layout.getMethod("parseInstance", Object[].class).invoke(null, (Object) new Object[] {root});
            return (long) layout.getMethod("totalSize").invoke(graph);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path f : files.toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }

    private static String report(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        sb.append(String.format(Locale.ROOT, "# Mp4Writer heap over recording length, %s%n%n", LocalDateTime.now()
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))));
        sb.append(String.format(Locale.ROOT, "Machine: %d cores, %s, max heap %d MiB. Command: `bench/mp4-memory.sh`"
                + " (synthetic 1080p25, 2 s GOP, silent 48 kHz AAC).%n%n", Runtime.getRuntime().availableProcessors(),
                java, Runtime.getRuntime().maxMemory() >> 20));
        sb.append("| recording | video / audio samples | heap retained by the writer, max (last) | writer graph (JOL) "
                + "| allocated per sample (after minute 1) | temp files | MP4 | write / finish s |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %d / %d | %s (%s) | %s | %.2f B | %s | %s | %.1f / %.1f |%n",
                    r.scenario().label(), r.videoSamples(), r.audioSamples(), kib(r.maxRetained()),
                    kib(r.lastRetained()), r.graphBytes() < 0 ? "-" : kib(r.graphBytes()), r.allocatedPerSample(),
                    mib(r.tempBytes()), mib(r.fileBytes()), r.writeSeconds(), r.finishSeconds()));
        }
        return sb.toString();
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
