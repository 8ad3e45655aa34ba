package io.camrelay.media;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the box structure of MP4 bytes, independently of the writers, for tests to look inside. */
final class Mp4TestBoxes {

    /** Containers whose payload is boxes (ISO/IEC 14496-12). */
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl", "edts", "dinf",
            "mvex", "moof", "traf");

    /** One box: its type and where its payload lies in the bytes read. */
    record Box(String type, int offset, int size, int headerSize) {
        int payloadOffset() {
            return offset + headerSize;
        }

        int end() {
            return offset + size;
        }
    }

    private final byte[] data;

    Mp4TestBoxes(byte[] data) {
        this.data = data;
    }

    /** The boxes of the top level, in file order. */
    List<Box> topLevel() {
        return children(0, data.length);
    }

    /** The child boxes of a container. */
    List<Box> children(Box box) {
        int from = box.payloadOffset();
        if (box.type().equals("stsd")) {
            from += 8; // version/flags, entry_count
        } else if (box.type().equals("avc1")) {
            from += 78; // VisualSampleEntry fields
        } else if (box.type().equals("mp4a")) {
            from += 28; // AudioSampleEntry fields
        }
        return children(from, box.end());
    }

    /** Every box on {@code path} ("moov/trak/mdia") below {@code from} (null: the top level). */
    List<Box> all(Box from, String path) {
        List<Box> level = from == null ? topLevel() : children(from);
        String[] parts = path.split("/", 2);
        List<Box> out = new ArrayList<>();
        for (Box b : level) {
            if (b.type().equals(parts[0])) {
                if (parts.length == 1) {
                    out.add(b);
                } else {
                    out.addAll(all(b, parts[1]));
                }
            }
        }
        return out;
    }

    /** The one box on {@code path}; fails when there is none or more. */
    Box one(Box from, String path) {
        List<Box> found = all(from, path);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " boxes at " + path + " (expected 1)");
        }
        return found.get(0);
    }

    /** The video or audio trak ("vide", "soun"). */
    Box track(String handler) {
        for (Box trak : all(null, "moov/trak")) {
            Box hdlr = one(trak, "mdia/hdlr");
            if (fourCc(hdlr.payloadOffset() + 8).equals(handler)) {
                return trak;
            }
        }
        throw new AssertionError("no " + handler + " track");
    }

    int u8(int at) {
        return data[at] & 0xFF;
    }

    int u16(int at) {
        return ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
    }

    long u32(int at) {
        return ByteBuffer.wrap(data, at, 4).getInt() & 0xFFFF_FFFFL;
    }

    int s32(int at) {
        return ByteBuffer.wrap(data, at, 4).getInt();
    }

    long u64(int at) {
        return ByteBuffer.wrap(data, at, 8).getLong();
    }

    String fourCc(int at) {
        return new String(data, at, 4, StandardCharsets.ISO_8859_1);
    }

    /** The entries of a full box whose payload is entry_count then fixed-size u32 entries (stss, stco, ...). */
    List<Long> u32Entries(Box box) {
        int count = (int) u32(box.payloadOffset() + 4);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(u32(box.payloadOffset() + 8 + 4 * i));
        }
        return out;
    }

    private List<Box> children(int from, int to) {
        List<Box> out = new ArrayList<>();
        int pos = from;
        while (pos + 8 <= to) {
            long size = u32(pos);
            int header = 8;
            if (size == 1) {
                size = u64(pos + 8);
                header = 16;
            } else if (size == 0) {
                size = to - pos;
            }
            if (size < header || pos + size > to) {
                throw new AssertionError("box " + fourCc(pos + 4) + " at " + pos + " of size " + size
                        + " overruns its container ending at " + to);
            }
            out.add(new Box(fourCc(pos + 4), pos, (int) size, header));
            pos += (int) size;
        }
        if (pos != to) {
            throw new AssertionError((to - pos) + " bytes left over after the boxes ending at " + pos);
        }
        return out;
    }

    static boolean isContainer(String type) {
        return CONTAINERS.contains(type);
    }
}
