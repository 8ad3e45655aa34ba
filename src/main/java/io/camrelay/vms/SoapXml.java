package io.camrelay.vms;

import io.camrelay.support.HardenedXml;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Parses SOAP replies of the ServerCommandService with a hardened parser: DTDs, external entities and XInclude are
 * refused (docs/design.md §8), the caller bounds the size. Elements are found by local name, as the reference
 * advises (docs/protocols.md §3.2).
 */
final class SoapXml {

    private SoapXml() {
    }

    /** Parses {@code xml}; a document with a DOCTYPE (and so any entity) is refused. */
    static Document parse(byte[] xml) throws SAXException {
        try {
            DocumentBuilder builder = HardenedXml.newDocumentBuilder(true);
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a hardening feature: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SAXException("unreadable XML: " + e.getMessage(), e);
        }
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
