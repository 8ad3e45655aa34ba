package io.camrelay.testing;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test-only FLV reading (FLV 10.1 §E.2–E.4) and an ffmpeg-made H.264 + AAC clip, the media source of the RTMP
 * integration tests until the camera path is merged.
 */
public final class FlvFiles {

    /** 6 s of 640x360 at 25 fps (150 frames, key frame every 2 s, no B-frames) plus 48 kHz stereo AAC. */
    public static final int CLIP_VIDEO_FRAMES = 150;
    private static final Path CLIP = Path.of("target", "test-clips", "av-360p-6s.flv");

    private FlvFiles() {
    }

    /** The clip, made with ffmpeg on first use and cached. */
    public static synchronized Path clip() {
        try {
            if (!Files.exists(CLIP)) {
                Files.createDirectories(CLIP.getParent());
                Path tmp = CLIP.resolveSibling("av-360p-6s.part.flv");
                Tools.run(300, "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
                        "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-t", "6", "-c:v", "libx264", "-g", "50",
                        "-bf", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", tmp.toString())
                        .requireSuccess("making the FLV test clip");
                Files.move(tmp, CLIP, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return CLIP;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The recordings an FLV file destination configured as {@code configured} ({@code out/lobby.flv}) wrote: one
     * {@code out/lobby-<UTC time>[-n].flv} per start, oldest first.
     */
    public static List<Path> recordingsOf(Path configured) {
        String name = configured.getFileName().toString();
        String stem = name.endsWith(".flv") ? name.substring(0, name.length() - 4) : name;
        Path folder = configured.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        java.util.regex.Pattern own = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(stem)
                + "-\\d{8}T\\d{6}Z(-\\d+)?\\.flv");
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> own.matcher(p.getFileName().toString()).matches())
                    .sorted(java.util.Comparator.comparing((Path p) -> p.toFile().lastModified())
                            .thenComparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one recording of an FLV file destination configured as {@code configured}; fails when there are others. */
    public static Path onlyRecordingOf(Path configured) {
        List<Path> recordings = recordingsOf(configured);
        if (recordings.size() != 1) {
            throw new AssertionError("expected one recording of " + configured + ", found " + recordings);
        }
        return recordings.get(0);
    }

    /** The clip's tags. */
    public static List<FlvTag> clipTags() {
        return read(clip());
    }

    /** Every tag of an FLV file (except AVC end-of-sequence), with key-frame and sequence-header flags. */
    public static List<FlvTag> read(Path file) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
            if (b.remaining() < 9 || b.get() != 'F' || b.get() != 'L' || b.get() != 'V') {
                throw new AssertionError(file + " is not an FLV file");
            }
            b.position(b.getInt(5) + 4); // header size, then PreviousTagSize0
            List<FlvTag> tags = new ArrayList<>();
            while (b.remaining() >= 11) {
                int type = b.get() & 0x1F;
                int size = u24(b);
                long ts = u24(b) | ((long) (b.get() & 0xFF) << 24);
                b.position(b.position() + 3); // stream id
                if (b.remaining() < size) {
                    break; // truncated last tag
                }
                byte[] body = new byte[size];
                b.get(body);
                if (b.remaining() >= 4) {
                    b.getInt();
                }
                FlvTag tag = tag(type, ts, body);
                if (tag != null) {
                    tags.add(tag);
                }
            }
            return tags;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FlvTag tag(int type, long ts, byte[] body) {
        if (type == FlvTagType.VIDEO.code() && body.length >= 2 && (body[0] & 0x0F) == 7 && body[1] == 2) {
            return null; // AVC end of sequence: not a picture (ffmpeg writes one at the end of a file)
        }
        if (type == FlvTagType.VIDEO.code() && body.length >= 2) {
            boolean key = (body[0] & 0xF0) == 0x10;
            boolean seq = (body[0] & 0x0F) == 7 && body[1] == 0;
            boolean disposable = (body[0] & 0xF0) == 0x30;
            return FlvTag.video(ts, key || seq, seq, disposable, body);
        }
        if (type == FlvTagType.AUDIO.code() && body.length >= 2) {
            return FlvTag.audio(ts, (body[0] & 0xF0) == 0xA0 && body[1] == 0, body);
        }
        if (type == FlvTagType.SCRIPT.code()) {
            return FlvTag.script(ts, body);
        }
        return null;
    }

    private static int u24(ByteBuffer b) {
        return ((b.get() & 0xFF) << 16) | ((b.get() & 0xFF) << 8) | (b.get() & 0xFF);
    }

    /** Bytes of a file, for assertions. */
    public static String describe(List<FlvTag> tags) {
        return tags.size() + " tags: " + Arrays.toString(tags.stream().limit(5).toArray());
    }
}
