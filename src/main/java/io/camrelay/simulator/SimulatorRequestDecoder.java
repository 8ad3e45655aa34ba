package io.camrelay.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The simulator's own, strict reading of ImageServer requests (reference §1.1): each one a {@code methodcall} XML
 * document on one line — no CR or LF inside — ending in CR LF CR LF, UTF-8, with an integer {@code requestid} and a
 * {@code methodname}. Anything else is a {@link Violation}: the session counts it, logs it and closes the socket, as
 * a recorder would not answer it. Written from the reference, not from CamRelay's codec.
 */
final class SimulatorRequestDecoder extends ByteToMessageDecoder {

    /** Requests are a few hundred bytes; a client sending more without a terminator is broken. */
    static final int MAX_REQUEST_BYTES = 16 * 1024;
    private static final int TERMINATOR_LENGTH = SimulatorWire.TERMINATOR_BYTES.length;

    /** A request the protocol does not allow. */
    static final class Violation extends DecoderException {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message);
        }
    }

    private final DocumentBuilder xml = secureBuilder();
    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeOne(in, out);
        } catch (Violation e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeOne(ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        if (in.getByte(in.readerIndex()) != '<') {
            throw new Violation(String.format("request starts with byte 0x%02X (expected '<' of a methodcall)",
                    in.getByte(in.readerIndex()) & 0xFF));
        }
        int start = in.readerIndex();
        int end = -1;
        int limit = start + Math.min(in.readableBytes(), MAX_REQUEST_BYTES + TERMINATOR_LENGTH);
        for (int i = start; i + TERMINATOR_LENGTH <= limit; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                    && in.getByte(i + 3) == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            if (in.readableBytes() >= MAX_REQUEST_BYTES + TERMINATOR_LENGTH) {
                throw new Violation("request of more than " + MAX_REQUEST_BYTES + " bytes without CR LF CR LF");
            }
            return;
        }
        byte[] document = new byte[end - start];
        in.readBytes(document);
        in.skipBytes(TERMINATOR_LENGTH);
        for (byte b : document) {
            if (b == '\r' || b == '\n') {
                throw new Violation("request has a line break inside (expected one line): "
                        + new String(document, StandardCharsets.UTF_8));
            }
        }
        out.add(parse(document));
    }

    private SimulatorRequest parse(byte[] document) {
        Element root;
        try {
            root = xml.parse(new ByteArrayInputStream(document)).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new Violation("request is not well-formed XML (" + e.getMessage() + "): "
                    + new String(document, StandardCharsets.UTF_8));
        }
        if (!"methodcall".equals(root.getTagName())) {
            throw new Violation("request root is <" + root.getTagName() + "> (expected <methodcall>)");
        }
        Map<String, String> elements = new HashMap<>();
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && !hasElementChildren(e)) {
                elements.putIfAbsent(e.getTagName(), e.getTextContent());
            }
        }
        String method = elements.remove("methodname");
        String requestId = elements.remove("requestid");
        if (method == null || method.isEmpty()) {
            throw new Violation("methodcall without <methodname>");
        }
        if (requestId == null || !requestId.matches("[0-9]{1,9}")) {
            throw new Violation("methodcall " + method + " has requestid '" + requestId
                    + "' (expected a non-negative integer)");
        }
        return new SimulatorRequest(Integer.parseInt(requestId), method, elements);
    }

    private static boolean hasElementChildren(Element e) {
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element) {
                return true;
            }
        }
        return false;
    }

    private static DocumentBuilder secureBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser cannot be configured securely", e);
        }
    }
}
