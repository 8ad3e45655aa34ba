package io.camrelay.simulator;

import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The simulated recorder's RecorderCommandService (reference §8.2 b, its WSDL S12), SOAP 1.1 over HTTP on the
 * ImageServer's port: {@code SequencesGet(token, deviceId, sequenceType, minTime, maxTime, maxCount)} answers the
 * camera's recorded sequences ({@link SimulatedRecording#sequences}) of type RecordingSequence overlapping
 * [minTime, maxTime], whole, sorted by TimeBegin, at most maxCount, as {@code SequenceEntry{TimeBegin, TimeTrigged,
 * TimeEnd}} in UTC. Faults (decided, docs/simulator.md): an invalid token, an unknown device, a missing or malformed
 * argument, another operation. Other sequence types have no entries.
 */
final class RecorderCommandEndpoint extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String PATH = "/RecorderCommandService/RecorderCommandService.asmx";
    static final String NAMESPACE = "http://videoos.net/2/XProtectCSRecorderCommand/";
    /** SequenceType id of recordings, as a 2025 R1 recorder lists it (reference §8.2 b). */
    static final String RECORDING_SEQUENCE = "f9c62604-d0c5-4050-ae25-72de51639b14";
    static final String TOKEN_INVALID = "Security token invalid";
    private static final String ENVELOPE_START = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope "
            + "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>";
    private static final String ENVELOPE_END = "</soap:Body></soap:Envelope>";

    private final ImageServerSimulator server;

    RecorderCommandEndpoint(ImageServerSimulator server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = request.uri().split("\\?", 2)[0];
        if (!path.equalsIgnoreCase(PATH) || !HttpMethod.POST.equals(request.method())) {
            send(ctx, request, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "not found: " + path);
            return;
        }
        String action = String.valueOf(request.headers().get("SOAPAction")).replace("\"", "");
        Document doc = parse(request);
        if (doc == null) {
            fault(ctx, request, "soap:Client", "The request is not a well-formed SOAP envelope");
        } else if (!action.equals(NAMESPACE + "SequencesGet")) {
            fault(ctx, request, "soap:Client", "Server did not recognize the value of HTTP Header SOAPAction: "
                    + action);
        } else {
            sequencesGet(ctx, request, doc);
        }
    }

    private void sequencesGet(ChannelHandlerContext ctx, FullHttpRequest request, Document doc) {
        Optional<String> token = text(doc, "token");
        if (token.isEmpty() || !server.backend().tokenValid(token.get())) {
            fault(ctx, request, "soap:Client", TOKEN_INVALID);
            return;
        }
        Optional<String> device = text(doc, "deviceId");
        Optional<Instant> min = time(doc, "minTime");
        Optional<Instant> max = time(doc, "maxTime");
        Optional<String> maxCount = text(doc, "maxCount").filter(c -> c.matches("[0-9]{1,9}"));
        if (device.isEmpty() || min.isEmpty() || max.isEmpty() || maxCount.isEmpty()
                || text(doc, "sequenceType").isEmpty()) {
            fault(ctx, request, "soap:Client", "SequencesGet needs deviceId, sequenceType, minTime, maxTime (xs:dateTime)"
                    + " and maxCount");
            return;
        }
        if (server.camera(device.get()).isEmpty()) {
            fault(ctx, request, "soap:Client", "Unknown device");
            return;
        }
        List<SimulatedRecording.Sequence> found = !RECORDING_SEQUENCE.equalsIgnoreCase(text(doc, "sequenceType")
                .orElse("")) ? List.of() : server.recording(device.get()).sequences(min.get().toEpochMilli(),
                max.get().toEpochMilli());
        StringBuilder b = new StringBuilder(ENVELOPE_START).append("<SequencesGetResponse xmlns=\"").append(NAMESPACE)
                .append("\"><SequencesGetResult>");
        int limit = Integer.parseInt(maxCount.get());
        for (SimulatedRecording.Sequence s : found.subList(0, Math.min(limit, found.size()))) {
            String begin = Instant.ofEpochMilli(s.beginMs()).toString();
            b.append("<SequenceEntry><TimeBegin>").append(begin).append("</TimeBegin><TimeTrigged>").append(begin)
                    .append("</TimeTrigged><TimeEnd>").append(Instant.ofEpochMilli(s.endMs())).append("</TimeEnd>")
                    .append("</SequenceEntry>");
        }
        b.append("</SequencesGetResult></SequencesGetResponse>").append(ENVELOPE_END);
        server.sequenceQueryAnswered();
        send(ctx, request, HttpResponseStatus.OK, "text/xml; charset=utf-8", b.toString());
    }

    private static void fault(ChannelHandlerContext ctx, FullHttpRequest request, String code, String text) {
        send(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/xml; charset=utf-8", ENVELOPE_START
                + "<soap:Fault><faultcode>" + code + "</faultcode><faultstring>" + SimulatorWire.escape(text)
                + "</faultstring></soap:Fault>" + ENVELOPE_END);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
            String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Parses with DTDs refused, as the real service's stack does. */
    private static Document parse(FullHttpRequest request) {
        try (ByteBufInputStream in = new ByteBufInputStream(request.content())) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(in);
        } catch (Exception e) {
            return null;
        }
    }

    private static Optional<String> text(Document doc, String localName) {
        NodeList nodes = doc.getElementsByTagNameNS("*", localName);
        return nodes.getLength() == 0 ? Optional.empty() : Optional.of(nodes.item(0).getTextContent().trim())
                .filter(t -> !t.isEmpty());
    }

    private static Optional<Instant> time(Document doc, String localName) {
        try {
            return text(doc, localName).map(t -> OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
