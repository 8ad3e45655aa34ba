package io.camrelay.simulator;

import java.nio.ByteBuffer;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The simulator's own writing of the ImageServer wire format, from the protocol reference
 * ({@code xprotect-protocols.md} §1.1–§1.5, §2.1, §2.2), deliberately not CamRelay's codec: a misreading of the
 * protocol in the product then shows up as a failing test instead of being made twice. Every number is the
 * reference's.
 */
final class SimulatorWire {

    /** Ends every request, response document and header block, and follows every body (§1.1, §1.5). */
    static final String TERMINATOR = "\r\n\r\n";
    static final byte[] TERMINATOR_BYTES = TERMINATOR.getBytes(StandardCharsets.US_ASCII);
    /** The XML prolog of the reference's examples (§1.2, §1.3). */
    static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    /** Content-type of a GenericByteData body (§1.5). */
    static final String GENERIC_BYTE_DATA_TYPE = "application/x-genericbytedata-octet-stream";
    /** Content-type of a JPEG body. */
    static final String JPEG_TYPE = "image/jpeg";
    /** {@code PrivacyMask} value of a camera without a mask (§1.5). */
    static final String NO_PRIVACY_MASK = "none";

    /** GenericByteData header length (§2.1): 2 + 4 + 2 + 2 + 2 + 8 + 8 + 4 bytes. */
    static final int GBD_HEADER_LENGTH = 32;
    /** GenericByteData data type of a video stream packet (§2.1). */
    static final int GBD_DATA_TYPE_VIDEO = 0x0010;
    /** GenericByteData flags bit 0: SYNC, a key frame (§2.1); the other bits are written 0. */
    static final int GBD_FLAG_SYNC = 0x0001;
    /** §2.1: audio and metadata packets, which a video relay passes over. */
    static final int GBD_DATA_TYPE_AUDIO = 0x0020;
    static final int GBD_DATA_TYPE_METADATA = 0x0030;
    /** §2.1: the multi-packet wrapper and its 16-byte header. */
    static final int GBD_DATA_TYPE_MULTI_PACKET = 0xFEF0;
    static final int GBD_MULTI_PACKET_HEADER_LENGTH = 16;
    /** GenericByteData codec ids (§2.2). */
    static final int GBD_CODEC_JPEG = 0x0001;
    static final int GBD_CODEC_H264 = 0x000A;
    static final int GBD_CODEC_H265 = 0x000E;

    /** {@code livepackage} status item: live feed (§1.3, an inferred id). */
    static final int STATUS_LIVE_FEED = 1;
    /** {@code livepackage} status item: the camera is disconnected from the recorder when its value is 1 (§1.3). */
    static final int STATUS_CAMERA_DISCONNECTED = 5;

    private SimulatorWire() {
    }

    /** A {@code methodresponse} (§1.2): {@code connected} yes or no, with {@code errorreason} when given. */
    static String methodResponse(int requestId, String method, boolean connected, String errorReason) {
        return PROLOG + "<methodresponse><requestid>" + requestId + "</requestid><methodname>" + escape(method)
                + "</methodname><connected>" + (connected ? "yes" : "no") + "</connected>"
                + (errorReason == null ? "" : "<errorreason>" + escape(errorReason) + "</errorreason>")
                + "</methodresponse>" + TERMINATOR;
    }

    /** A {@code livepackage} (§1.3): live feed 1 and camera disconnected 0, or live feed 0 and disconnected 1. */
    static String livePackage(long statusTimeMs, boolean cameraDisconnected) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><livepackage><status><statustime>" + statusTimeMs
                + "</statustime><statusitem id=\"" + STATUS_LIVE_FEED + "\" value=\"" + (cameraDisconnected ? 0 : 1)
                + "\" /><statusitem id=\"" + STATUS_CAMERA_DISCONNECTED + "\" value=\"" + (cameraDisconnected ? 1 : 0)
                + "\" /></status></livepackage>" + TERMINATOR;
    }

    /**
     * An {@code ImageResponse} header block (§1.5), in the reference's order, up to and with the blank line; the
     * {@code contentLength} body bytes and the terminator follow it.
     */
    static String imageResponseHead(int requestId, long prevMs, long currentMs, long nextMs, String privacyMask,
            int contentLength, String contentType) {
        return "ImageResponse\r\nRequestId: " + requestId + "\r\nPrev: " + prevMs + "\r\nCurrent: " + currentMs
                + "\r\nNext: " + nextMs + "\r\nPrivacyMask: " + privacyMask + "\r\nContent-length: " + contentLength
                + "\r\nContent-type: " + contentType + TERMINATOR;
    }

    /** Writes the 32-byte big-endian GenericByteData header of a video stream packet (§2.1) to {@code out}. */
    static void writeGenericByteDataHeader(ByteBuf out, int codecId, int sequence, boolean sync, long syncTimeMs,
            long pictureTimeMs, int payloadLength) {
        out.writeShort(GBD_DATA_TYPE_VIDEO);
        out.writeInt(GBD_HEADER_LENGTH + payloadLength); // total length, header included
        out.writeShort(codecId);
        out.writeShort(sequence & 0xFFFF);
        out.writeShort(sync ? GBD_FLAG_SYNC : 0);
        out.writeLong(syncTimeMs);
        out.writeLong(pictureTimeMs);
        out.writeInt(0); // reserved
    }

    /** A whole video stream packet (§2.1): the 32-byte header and {@code payload}. */
    static byte[] videoPacket(int codecId, int sequence, boolean sync, long syncTimeMs, long pictureTimeMs,
            byte[] payload) {
        return packet(GBD_DATA_TYPE_VIDEO, codecId, sequence, sync, syncTimeMs, pictureTimeMs, payload);
    }

    /**
     * A whole packet of another data type (0x0020 audio, 0x0030 metadata, §2.1): the same header with codec 0 and
     * {@code timeMs} as both times, then {@code payload}.
     */
    static byte[] dataPacket(int dataType, long timeMs, byte[] payload) {
        return packet(dataType, 0, 0, false, timeMs, timeMs, payload);
    }

    /**
     * The multi-packet wrapper (§2.1, data type 0xFEF0): a 16-byte header (data type, total length with the header,
     * ten bytes no source describes, written as zeros) and the inner packets one after the other.
     */
    static byte[] multiPacket(byte[]... packets) {
        int length = GBD_MULTI_PACKET_HEADER_LENGTH;
        for (byte[] p : packets) {
            length += p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        out.putShort((short) GBD_DATA_TYPE_MULTI_PACKET).putInt(length).put(new byte[10]);
        for (byte[] p : packets) {
            out.put(p);
        }
        return out.array();
    }

    private static byte[] packet(int dataType, int codecId, int sequence, boolean sync, long syncTimeMs,
            long pictureTimeMs, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(GBD_HEADER_LENGTH + payload.length);
        out.putShort((short) dataType).putInt(GBD_HEADER_LENGTH + payload.length).putShort((short) codecId)
                .putShort((short) sequence).putShort((short) (sync ? GBD_FLAG_SYNC : 0)).putLong(syncTimeMs)
                .putLong(pictureTimeMs).putInt(0).put(payload);
        return out.array();
    }

    /**
     * The reply to {@code alarms} (reference §8.2 a; its wrapper decided in docs/simulator.md): a
     * {@code methodresponse} with an {@code alarms} element holding one {@code <alarm starttime endtime alarmtime/>}
     * per recorded sequence, times in ms UTC, the alarm time being the start.
     */
    static String alarmsResponse(int requestId, java.util.List<SimulatedRecording.Sequence> sequences) {
        StringBuilder b = new StringBuilder(PROLOG).append("<methodresponse><requestid>").append(requestId)
                .append("</requestid><methodname>alarms</methodname><alarms>");
        for (SimulatedRecording.Sequence s : sequences) {
            b.append("<alarm starttime=\"").append(s.beginMs()).append("\" endtime=\"").append(s.endMs())
                    .append("\" alarmtime=\"").append(s.beginMs()).append("\"/>");
        }
        return b.append("</alarms></methodresponse>").append(TERMINATOR).toString();
    }

    /** Escapes the XML special characters of a value written into a document. */
    static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
