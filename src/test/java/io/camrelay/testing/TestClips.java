package io.camrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real encoder output for tests, made with ffmpeg at test time and cached under target/test-clips. Each clip is a raw
 * Annex B elementary stream; {@link io.camrelay.media.AccessUnits} cuts it into pictures.
 */
public final class TestClips {

    /**
     * A clip recipe.
     *
     * @param name     file name stem
     * @param hevc     x265 instead of x264
     * @param width    width in pixels
     * @param height   height in pixels
     * @param fps      frames per second
     * @param frames   number of frames
     * @param x26xArgs codec options after the input (profile, B-frames, GOP)
     */
    public record Clip(String name, boolean hevc, int width, int height, int fps, int frames, List<String> x26xArgs) {
        public Clip {
            x26xArgs = List.copyOf(x26xArgs);
        }

        /** Where the clip is kept. */
        public Path path() {
            return DIR.resolve(name + (hevc ? ".h265" : ".h264"));
        }
    }

    private static final Path DIR = Path.of("target", "test-clips");

    /** x264 Constrained Baseline, no B-frames, 640x360 at 25 fps, 2 s GOP, 4 s. */
    public static final Clip BASELINE = new Clip("baseline-360p", false, 640, 360, 25, 100,
            List.of("-c:v", "libx264", "-profile:v", "baseline", "-g", "50", "-bf", "0", "-b:v", "800k"));
    /** x264 High with 2 B-frames (reordering), 640x360 at 25 fps, 2 s GOP, 4 s. */
    public static final Clip HIGH_BFRAMES = new Clip("high-bframes-360p", false, 640, 360, 25, 100,
            List.of("-c:v", "libx264", "-profile:v", "high", "-g", "50", "-bf", "2", "-b:v", "800k"));
    /** x264 High with 1 B-frame in every mini-GOP (I P B P B …, b-adapt off), 640x360 at 25 fps, 2 s GOP, 4 s. */
    public static final Clip ONE_BFRAME = new Clip("high-1bframe-360p", false, 640, 360, 25, 100,
            List.of("-c:v", "libx264", "-profile:v", "high", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                    "-bf", "1", "-x264-params", "b-adapt=0", "-b:v", "800k"));
    /** x264 High with 2 B-frames in every mini-GOP (b-adapt off, no pyramid), 640x360 at 25 fps, 2 s GOP, 4 s. */
    public static final Clip TWO_BFRAMES = new Clip("high-2bframes-360p", false, 640, 360, 25, 100,
            List.of("-c:v", "libx264", "-profile:v", "high", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                    "-bf", "2", "-x264-params", "b-adapt=0:b-pyramid=none", "-b:v", "800k"));
    /** x264 High with 3 B-frames and a B-pyramid (a referenced middle B), 640x360 at 25 fps, 2 s GOP, 4 s. */
    public static final Clip PYRAMID = new Clip("high-pyramid-360p", false, 640, 360, 25, 100,
            List.of("-c:v", "libx264", "-profile:v", "high", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                    "-bf", "3", "-x264-params", "b-adapt=0:b-pyramid=normal", "-b:v", "800k"));
    /** x264 High 1080p at 25 fps, 4 Mbit/s, 2 s GOP, 3 s: camera-like material. */
    public static final Clip HD_1080P = new Clip("high-1080p", false, 1920, 1080, 25, 75,
            List.of("-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast", "-g", "50", "-bf", "0",
                    "-b:v", "4M", "-maxrate", "4M", "-bufsize", "8M"));
    /** x265 Main 640x360, for the refusal path. */
    public static final Clip HEVC = new Clip("hevc-360p", true, 640, 360, 25, 50,
            List.of("-c:v", "libx265", "-x265-params", "keyint=50:bframes=0:log-level=error"));

    private TestClips() {
    }

    /**
     * The display position of each picture of {@code clip}, in decode order, as ffprobe's decoder orders them (frames
     * come out in display order, each naming its packet's byte offset): independent of CamRelay's POC decoding. Also
     * written next to the clip as {@code <clip>.order}, the file the simulator stamps a {@code ClipFile} by.
     */
    public static synchronized int[] displayOrder(Clip clip) {
        bytes(clip);
        Path order = Path.of(clip.path() + ".order");
        try {
            if (!Files.exists(order)) {
                String out = Tools.run(120, "ffprobe", "-v", "error", "-show_entries", "frame=pkt_pos", "-of",
                        "csv=p=0", clip.path().toString()).requireSuccess("ffprobe " + clip.name()).stdout();
                List<Long> positions = out.lines().map(l -> l.split(",")[0].trim()).filter(l -> !l.isEmpty())
                        .map(Long::parseLong).toList();
                List<Long> decodeOrder = positions.stream().sorted().toList();
                StringBuilder text = new StringBuilder("# display position of each picture, decode order\n");
                for (long position : decodeOrder) {
                    text.append(positions.indexOf(position)).append('\n');
                }
                Path tmp = Files.createTempFile(DIR, clip.name(), ".order.part");
                Files.writeString(tmp, text);
                Files.move(tmp, order, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return Files.readAllLines(order).stream().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .mapToInt(l -> Integer.parseInt(l.trim())).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The clip's bytes, encoding it first if it is not cached yet. */
    public static synchronized byte[] bytes(Clip clip) {
        Path path = clip.path();
        try {
            if (!Files.exists(path)) {
                Files.createDirectories(DIR);
                Path tmp = Files.createTempFile(DIR, clip.name(), ".part");
                List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc2=size=" + clip.width() + "x" + clip.height() + ":rate=" + clip.fps(), "-frames:v",
                        String.valueOf(clip.frames()), "-pix_fmt", "yuv420p"));
                cmd.addAll(clip.x26xArgs());
                cmd.addAll(List.of("-f", clip.hevc() ? "hevc" : "h264", tmp.toString()));
                Tools.run(300, cmd.toArray(String[]::new)).requireSuccess("encoding test clip " + clip.name());
                Files.move(tmp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
