package io.camrelay.imageserver.codec;

import io.camrelay.support.HardenedXml;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Parses ImageServer XML documents with DTDs and external entities refused and nesting bounded (docs/design.md §8).
 * One per channel.
 */
final class XmlParser {

    /**
     * Deepest element nesting accepted: the documents of docs/protocols.md §1 nest four levels; without a bound a
     * 64 KiB document of nested elements (~9,000 levels) overflowed the event loop's stack.
     */
    static final int MAX_DEPTH = 32;
    private static final String STATUS_ITEM = "statusitem";
    /** An element of the reply to {@code alarms}, its times as attributes (docs/protocols.md §8). */
    private static final String ALARM = "alarm";
    /** The most {@code alarm} elements read from one document (its size is bounded too). */
    static final int MAX_ALARMS = 10_000;
    private final DocumentBuilder builder;

    XmlParser() {
        try {
            builder = HardenedXml.newDocumentBuilder(false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser cannot be configured securely", e);
        }
    }

    XmlMessage parse(byte[] document) {
        Element root;
        try {
            root = builder.parse(new ByteArrayInputStream(document)).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new ImageServerProtocolException("ImageServer sent an XML document that does not parse ("
                    + e.getMessage() + ")", e);
        }
        Map<String, String> fields = new HashMap<>();
        Map<Integer, Integer> statusItems = new HashMap<>();
        List<Map<String, String>> alarms = new ArrayList<>();
        collect(root, 1, fields, statusItems, alarms);
        return new XmlMessage(name(root), fields, statusItems, alarms);
    }

    private static void collect(Element element, int depth, Map<String, String> fields,
            Map<Integer, Integer> statusItems, List<Map<String, String>> alarms) {
        if (depth > MAX_DEPTH) {
            throw new ImageServerProtocolException("ImageServer sent an XML document nested deeper than " + MAX_DEPTH
                    + " elements (<" + shortName(element) + "> at depth " + depth + "): not a document of the "
                    + "ImageServer protocol");
        }
        boolean leaf = true;
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                leaf = false;
                collect(e, depth + 1, fields, statusItems, alarms);
            }
        }
        String name = name(element);
        if (ALARM.equals(name) && element.hasAttributes()) {
            if (alarms.size() < MAX_ALARMS) {
                Map<String, String> attributes = new HashMap<>();
                NamedNodeMap all = element.getAttributes();
                for (int i = 0; i < all.getLength(); i++) {
                    attributes.put(all.item(i).getNodeName().toLowerCase(java.util.Locale.ROOT),
                            all.item(i).getNodeValue());
                }
                alarms.add(attributes);
            }
        } else if (STATUS_ITEM.equals(name)) {
            try {
                statusItems.put(Integer.parseInt(element.getAttribute("id").trim()),
                        Integer.parseInt(element.getAttribute("value").trim()));
            } catch (NumberFormatException e) {
                // status items we cannot read carry nothing we act on (§1.3 lists numeric ids and values only)
            }
        } else if (leaf) {
            fields.putIfAbsent(name, element.getTextContent());
        }
    }

    /** The element's name for a message: at most 40 characters. */
    private static String shortName(Element e) {
        String name = name(e);
        return name.length() > 40 ? name.substring(0, 40) + "…" : name;
    }

    private static String name(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getNodeName();
    }
}
