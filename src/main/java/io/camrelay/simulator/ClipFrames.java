package io.camrelay.simulator;

import io.camrelay.media.AccessUnits;
import io.camrelay.media.AnnexB;
import io.camrelay.media.VideoCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** A clip (bundled or a file) cut into the pictures a recorder sends, one per ImageResponse (docs/protocols.md §2.2). */
final class ClipFrames {

    /** One coded picture. */
    record Frame(byte[] data, boolean keyFrame) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.keyFrame == keyFrame && java.util.Arrays.equals(f.data, data);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(data) * 31 + Boolean.hashCode(keyFrame);
        }

        @Override
        public String toString() {
            return "Frame[" + data.length + " bytes, key=" + keyFrame + "]";
        }
    }

    private static final int AVC_NAL_IDR = 5;
    private static final int HEVC_NAL_IRAP_FIRST = 16;
    private static final int HEVC_NAL_IRAP_LAST = 23;

    private ClipFrames() {
    }

    /**
     * A loaded clip.
     *
     * @param frames       its pictures in decode order
     * @param displayOrder the display position of each picture (decode order), from the clip's {@code .order} file;
     *                     the decode order itself when it has none
     * @param reordered    whether the display order differs from the decode order (B-frames)
     */
    record Loaded(List<Frame> frames, int[] displayOrder, boolean reordered) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Loaded l && l.frames.equals(frames) && java.util.Arrays.equals(l.displayOrder,
                    displayOrder);
        }

        @Override
        public int hashCode() {
            return frames.hashCode();
        }

        @Override
        public String toString() {
            return "Loaded[" + frames.size() + " pictures, reordered=" + reordered + "]";
        }
    }

    /** The suffix of a clip's display-order file, next to it: {@code clip.h264.order}. */
    static final String ORDER_SUFFIX = ".order";

    /** Loads {@code clip} and its display order. */
    static Loaded loadWithOrder(ClipSource clip) {
        List<Frame> frames = load(clip);
        String text;
        String name;
        if (clip instanceof SimulatorClip bundled) {
            name = bundled.resourcePath() + ORDER_SUFFIX;
            byte[] bytes = readOptional(name);
            text = bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
        } else {
            java.nio.file.Path file = java.nio.file.Path.of(((ClipFile) clip).file() + ORDER_SUFFIX);
            name = file.toString();
            try {
                text = Files.exists(file) ? Files.readString(file) : null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read simulator clip order " + file + ": " + e.getMessage(), e);
            }
        }
        int[] order = text == null ? identity(frames.size()) : parseOrder(text, frames.size(), name);
        boolean reordered = false;
        for (int i = 0; i < order.length; i++) {
            reordered |= order[i] != i;
        }
        return new Loaded(frames, order, reordered);
    }

    /**
     * Reads a display-order file: whitespace-separated display positions, one per picture in decode order, lines
     * starting with {@code #} ignored; it must be a permutation of 0 … pictures − 1 (each loop of a clip is closed).
     */
    static int[] parseOrder(String text, int pictures, String name) {
        List<Integer> values = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            for (String token : line.trim().split("\\s+")) {
                if (!token.isEmpty()) {
                    try {
                        values.add(Integer.parseInt(token));
                    } catch (NumberFormatException e) {
                        throw new IllegalStateException("simulator clip order " + name + " has '" + token
                                + "', not a display position: regenerate it (scripts/make-simulator-clips.sh)");
                    }
                }
            }
        }
        boolean[] seen = new boolean[pictures];
        int[] order = new int[values.size()];
        for (int i = 0; i < order.length; i++) {
            int v = values.get(i);
            if (v < 0 || v >= pictures || seen[v]) {
                order = null;
                break;
            }
            seen[v] = true;
            order[i] = v;
        }
        if (order == null || values.size() != pictures) {
            throw new IllegalStateException("simulator clip order " + name + " lists " + values.size()
                    + " display positions, not a permutation of the clip's " + pictures + " pictures: regenerate it"
                    + " (scripts/make-simulator-clips.sh)");
        }
        return order;
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    static List<Frame> load(ClipSource clip) {
        String name;
        byte[] bytes;
        if (clip instanceof SimulatorClip bundled) {
            name = bundled.resourcePath();
            bytes = read(name);
        } else {
            ClipFile file = (ClipFile) clip;
            name = file.file().toString();
            bytes = read(file);
        }
        List<Frame> frames = new ArrayList<>();
        if (clip.codec() == VideoCodec.JPEG) {
            for (byte[] jpeg : splitJpeg(bytes)) {
                frames.add(new Frame(jpeg, true));
            }
        } else {
            for (byte[] unit : AccessUnits.split(bytes, clip.codec())) {
                frames.add(new Frame(unit, isKey(unit, clip.codec())));
            }
        }
        if (frames.isEmpty() || !frames.get(0).keyFrame()) {
            throw new IllegalStateException("simulator clip " + name + " does not start with a key frame: "
                    + (clip instanceof SimulatorClip ? "regenerate it with scripts/make-simulator-clips.sh"
                    : "cut it at a key frame (IDR/IRAP) or encode it again"));
        }
        return List.copyOf(frames);
    }

    private static boolean isKey(byte[] unit, VideoCodec codec) {
        for (byte[] nal : AnnexB.nalUnits(unit)) {
            if (codec == VideoCodec.H264 && (nal[0] & 0x1F) == AVC_NAL_IDR) {
                return true;
            }
            int hevcType = (nal[0] >> 1) & 0x3F;
            if (codec == VideoCodec.H265 && hevcType >= HEVC_NAL_IRAP_FIRST && hevcType <= HEVC_NAL_IRAP_LAST) {
                return true;
            }
        }
        return false;
    }

    /** Cuts concatenated JPEG pictures at their SOI (FF D8) … EOI (FF D9) markers. */
    static List<byte[]> splitJpeg(byte[] bytes) {
        List<byte[]> pictures = new ArrayList<>();
        int start = -1;
        for (int i = 0; i + 1 < bytes.length; i++) {
            int a = bytes[i] & 0xFF;
            int b = bytes[i + 1] & 0xFF;
            if (start < 0 && a == 0xFF && b == 0xD8) {
                start = i;
                i++;
            } else if (start >= 0 && a == 0xFF && b == 0xD9) {
                pictures.add(java.util.Arrays.copyOfRange(bytes, start, i + 2));
                start = -1;
                i++;
            }
        }
        return pictures;
    }

    private static byte[] read(ClipFile clip) {
        try {
            return Files.readAllBytes(clip.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read simulator clip file " + clip.file() + ": " + e.getMessage()
                    + "; check the path", e);
        }
    }

    private static byte[] readOptional(String resource) {
        try (InputStream in = ClipFrames.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read simulator resource " + resource, e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = ClipFrames.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("simulator clip " + resource
                        + " is missing from the classpath: run scripts/make-simulator-clips.sh");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read simulator clip " + resource, e);
        }
    }
}
