package io.camrelay.imageserver.session;

import io.camrelay.imageserver.codec.ImageServerRequests;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The recorder side of unit tests: each dial gets an {@link EmbeddedChannel}; the test reads the requests written on
 * the latest one and writes replies and pushes into it (docs/protocols.md §1.2-1.5).
 */
final class FakeRecorder implements RecorderDialer {

    private static final String CRLF2 = "\r\n\r\n";
    private static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    private static final Pattern METHOD = Pattern.compile("<methodname>([^<]*)</methodname>");
    private static final Pattern REQUEST_ID = Pattern.compile("<requestid>([^<]*)</requestid>");
    private static final Pattern CONNECT_PARAM = Pattern.compile("<connectparam>([^<]*)</connectparam>");

    final List<InetSocketAddress> targets = new ArrayList<>();
    private final List<EmbeddedChannel> sockets = new ArrayList<>();
    /** When set, the next dial fails with it. */
    Exception refuseNext;

    @Override
    public ChannelFuture dial(InetSocketAddress target, ChannelHandler initializer) {
        targets.add(target);
        EmbeddedChannel socket = new EmbeddedChannel(initializer);
        sockets.add(socket);
        if (refuseNext != null) {
            Exception cause = refuseNext;
            refuseNext = null;
            return socket.newFailedFuture(cause);
        }
        return socket.newSucceededFuture();
    }

    int dials() {
        return targets.size();
    }

    /** The socket of the latest dial. */
    EmbeddedChannel socket() {
        return sockets.get(sockets.size() - 1);
    }

    /** The next request written on the latest socket, or null. */
    String nextRequest() {
        ByteBuf written = socket().readOutbound();
        if (written == null) {
            return null;
        }
        try {
            return written.toString(StandardCharsets.UTF_8);
        } finally {
            written.release();
        }
    }

    /** The methodnames of every request written on the latest socket since last read, in order. */
    List<String> methods() {
        List<String> methods = new ArrayList<>();
        for (String request = nextRequest(); request != null; request = nextRequest()) {
            methods.add(method(request));
        }
        return methods;
    }

    void acceptConnect() {
        reply("connect", true, null);
    }

    /** A {@code methodresponse} (§1.2): {@code connected} yes or no, with {@code errorreason} when given. */
    void reply(String method, boolean connected, String errorReason) {
        push(PROLOG + "<methodresponse><requestid>0</requestid><methodname>" + method + "</methodname><connected>"
                + (connected ? "yes" : "no") + "</connected>"
                + (errorReason == null ? "" : "<errorreason>" + errorReason + "</errorreason>") + "</methodresponse>"
                + CRLF2);
    }

    /** A {@code livepackage} (§1.3); status item 5 = 1 says the camera lost its recorder. */
    void livePackage(boolean cameraDisconnected) {
        push(PROLOG + "<livepackage><status><statustime>1605074397121</statustime><statusitem id=\"1\" value=\"1\" />"
                + "<statusitem id=\"5\" value=\"" + (cameraDisconnected ? 1 : 0) + "\" /></status></livepackage>"
                + CRLF2);
    }

    /** An {@code ImageResponse} carrying {@code body} (§1.5). */
    void picture(byte[] body) {
        picture(body, null);
    }

    /** An {@code ImageResponse} carrying {@code body} with a {@code PrivacyMask} header of {@code mask} (none: null). */
    void picture(byte[] body, String mask) {
        byte[] headers = ("ImageResponse\r\nRequestId: 1\r\nCurrent: 1700000000000\r\n"
                + (mask == null ? "" : "PrivacyMask: " + mask + "\r\n") + "Content-length: " + body.length
                + "\r\nContent-type: application/x-genericbytedata-octet-stream" + CRLF2)
                .getBytes(StandardCharsets.US_ASCII);
        socket().writeInbound(Unpooled.wrappedBuffer(headers, body, CRLF2.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A playback {@code ImageResponse} (§8.1): the reply to request {@code requestId}, its GOP at {@code current}. */
    void playbackPicture(int requestId, long current, long next, byte[] body, String mask) {
        byte[] headers = ("ImageResponse\r\nRequestId: " + requestId + "\r\nPrev: " + current + "\r\nCurrent: "
                + current + "\r\nNext: " + next + "\r\n" + (mask == null ? "" : "PrivacyMask: " + mask + "\r\n")
                + "Content-length: " + body.length + "\r\nContent-type: application/x-genericbytedata-octet-stream"
                + CRLF2).getBytes(StandardCharsets.US_ASCII);
        socket().writeInbound(Unpooled.wrappedBuffer(headers, body, CRLF2.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Raw bytes on the latest socket, e.g. a framing error. */
    void push(String text) {
        socket().writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** Releases whatever the sockets still hold. */
    void close() {
        for (EmbeddedChannel socket : sockets) {
            socket.finishAndReleaseAll();
        }
    }

    static String method(String request) {
        return group(METHOD, request);
    }

    static int requestId(String request) {
        return Integer.parseInt(group(REQUEST_ID, request));
    }

    /** The {@code connectiontoken} in a connect or connectupdate request. */
    static String token(String request) {
        Map<String, String> param = ImageServerRequests.parseConnectParam(group(CONNECT_PARAM, request)
                .replace("&amp;", "&"));
        return param.get("connectiontoken");
    }

    private static String group(Pattern pattern, String request) {
        Matcher m = pattern.matcher(request);
        if (!m.find()) {
            throw new AssertionError("no " + pattern + " in " + request);
        }
        return m.group(1);
    }
}
