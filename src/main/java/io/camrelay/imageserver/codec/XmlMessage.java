package io.camrelay.imageserver.codec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An ImageServer XML document (docs/protocols.md §1.2–1.4): a {@code methodcall}, {@code methodresponse}
 * or {@code livepackage}, reduced to what the protocol needs.
 *
 * @param root        the root element's name, e.g. {@code methodresponse}
 * @param fields      the text of every element without child elements, by element name (first occurrence wins),
 *                    e.g. {@code methodname}, {@code connected}, {@code errorreason}, {@code connectparam}
 * @param statusItems {@code livepackage} status items, {@code id} → {@code value}
 * @param alarms      the attributes of each {@code alarm} element of an {@code alarms} reply (docs/protocols.md §8),
 *                    in document order, e.g. {@code starttime}, {@code endtime}
 */
public record XmlMessage(String root, Map<String, String> fields, Map<Integer, Integer> statusItems,
        List<Map<String, String>> alarms) implements ImageServerMessage {

    /** Root of a request. */
    public static final String METHOD_CALL = "methodcall";
    /** Root of a reply to a request. */
    public static final String METHOD_RESPONSE = "methodresponse";
    /** Root of a live status document (keepalive). */
    public static final String LIVE_PACKAGE = "livepackage";
    /** Status item: the camera is disconnected from its recorder when its value is 1 (§1.3). */
    public static final int STATUS_CAMERA_DISCONNECTED = 5;

    public XmlMessage {
        Objects.requireNonNull(root, "root");
        fields = Map.copyOf(fields);
        statusItems = Map.copyOf(statusItems);
        alarms = alarms.stream().map(Map::copyOf).toList();
    }

    /** A document without {@code alarm} elements. */
    public XmlMessage(String root, Map<String, String> fields, Map<Integer, Integer> statusItems) {
        this(root, fields, statusItems, List.of());
    }

    /** The text of element {@code name}, if present. */
    public Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** The {@code methodname} element, or "" when absent. */
    public String methodName() {
        return fields.getOrDefault("methodname", "");
    }

    /** Whether {@code connected} says {@code yes}. */
    public boolean connected() {
        return "yes".equalsIgnoreCase(fields.getOrDefault("connected", "").trim());
    }

    /** Whether this livepackage says the camera lost its recorder (status item 5 = 1). */
    public boolean cameraDisconnected() {
        return LIVE_PACKAGE.equals(root) && Integer.valueOf(1).equals(statusItems.get(STATUS_CAMERA_DISCONNECTED));
    }
}
