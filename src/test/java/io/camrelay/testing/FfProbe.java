package io.camrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What ffprobe and {@code ffmpeg -v error} say about a recording. */
public final class FfProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One stream of a file. */
    public record Stream(String codecType, String codecName, String profile, int width, int height, int sampleRate,
            int channels, double duration, int frames) {
    }

    /** One packet's timing, in ms. */
    public record Packet(String codecType, long ptsMs, long dtsMs, boolean key) {
    }

    private FfProbe() {
    }

    /** The streams, with frames counted by decoding ({@code -count_frames}). */
    public static List<Stream> streams(Path file) {
        return streams(file, "-count_frames", "nb_read_frames");
    }

    /**
     * The streams with frames counted as packets ({@code -count_packets}), without decoding: as many as the
     * container's samples, for files too long to decode twice in a test.
     */
    public static List<Stream> streamsByPackets(Path file) {
        return streams(file, "-count_packets", "nb_read_packets");
    }

    private static List<Stream> streams(Path file, String countOption, String countField) {
        String json = Tools.run(120, "ffprobe", "-v", "error", countOption, "-show_streams", "-of", "json",
                file.toString()).requireSuccess("ffprobe " + file).stdout();
        List<Stream> out = new ArrayList<>();
        try {
            for (JsonNode s : JSON.readTree(json).path("streams")) {
                out.add(new Stream(s.path("codec_type").asText(), s.path("codec_name").asText(),
                        s.path("profile").asText(), s.path("width").asInt(), s.path("height").asInt(),
                        s.path("sample_rate").asInt(), s.path("channels").asInt(), s.path("duration").asDouble(),
                        s.path(countField).asInt()));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("ffprobe printed no JSON: " + json, e);
        }
        return out;
    }

    /** The first stream of a type ("video" or "audio"). */
    public static Stream stream(Path file, String codecType) {
        return streams(file).stream().filter(s -> s.codecType().equals(codecType)).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no " + codecType + " stream"));
    }

    /** Packets in file order with pts/dts in ms. */
    public static List<Packet> packets(Path file) {
        String json = Tools.run(120, "ffprobe", "-v", "error", "-show_entries",
                "packet=codec_type,pts_time,dts_time,flags", "-of", "json", file.toString())
                .requireSuccess("ffprobe " + file).stdout();
        List<Packet> out = new ArrayList<>();
        try {
            for (JsonNode p : JSON.readTree(json).path("packets")) {
                out.add(new Packet(p.path("codec_type").asText(), Math.round(p.path("pts_time").asDouble() * 1000),
                        Math.round(p.path("dts_time").asDouble() * 1000), p.path("flags").asText().contains("K")));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("ffprobe printed no JSON: " + json, e);
        }
        return out;
    }

    /** What {@code ffmpeg -v error -i file -f null -} prints: empty when every packet decodes. */
    public static String decodeErrors(Path file) {
        Tools.Result r = Tools.run(300, "ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-");
        return (r.exitCode() == 0 ? "" : "exit code " + r.exitCode() + "\n") + r.stderr();
    }
}
