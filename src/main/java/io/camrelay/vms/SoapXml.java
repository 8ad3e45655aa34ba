package io.camrelay.vms;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses SOAP replies of the ServerCommandService with a hardened parser: DTDs, external entities and XInclude are
 * refused (docs/design.md §8), the caller bounds the size. Elements are found by local name, as the reference
 * advises (docs/protocols.md §3.2).
 */
final class SoapXml {

    /** Errors fail the parse (as the caller reports them); warnings change nothing; nothing is printed. */
    private static final ErrorHandler RAISE = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // a warning leaves the document usable
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private SoapXml() {
    }

    /** Parses {@code xml}; a document with a DOCTYPE (and so any entity) is refused. */
    static Document parse(byte[] xml) throws SAXException {
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            // explicit: a null handler means "the implementation's default", which for Xerces prints to stderr
            builder.setErrorHandler(RAISE);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a hardening feature: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SAXException("unreadable XML: " + e.getMessage(), e);
        }
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }

    /** The first element named {@code localName} (any namespace) under {@code root}, depth first. */
    static Optional<Element> first(Node root, String localName) {
        NodeList all = root instanceof Document d ? d.getElementsByTagNameNS("*", localName)
                : ((Element) root).getElementsByTagNameNS("*", localName);
        return all.getLength() == 0 ? Optional.empty() : Optional.of((Element) all.item(0));
    }

    /** The trimmed text of the first element named {@code localName}, if present. */
    static Optional<String> text(Node root, String localName) {
        return first(root, localName).map(e -> e.getTextContent().trim());
    }

    /** Escapes text for an XML element. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
