package io.camrelay.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated API gateway REST API under {@code /api/rest/v1} (docs/protocols.md §4, §5): cameras,
 * their streams, hardware and recording server, the RTMP Streamer plugin items, user-defined events, events and
 * alarms. Every call needs a valid Bearer access token (401 otherwise). Envelopes: {@code {"array":[…]}} for
 * collections, {@code {"data":{…}}} for items, {@code {"result":{…}}} for creations.
 */
final class RestEndpoint implements HttpHandler {

    static final String PREFIX = "/api/rest/v1";
    /** The MIP kind of the RTMP Streamer plugin's items (docs/protocols.md §6). */
    static final String RTMP_STREAMER_KIND = "ABA1B2C3-D4E5-6789-ABCD-EF0123456780";

    private final XProtectSimulator vms;

    RestEndpoint(XProtectSimulator vms) {
        this.vms = vms;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            if (!vms.tokens().accessValid(SimHttp.bearer(ex))) {
                SimHttp.restError(ex, 401, "Unauthorized: missing, unknown or expired access token");
                return;
            }
            String path = ex.getRequestURI().getPath().substring(PREFIX.length());
            String[] seg = path.replaceAll("^/+|/+$", "").split("/");
            String method = ex.getRequestMethod();
            if (method.equals("GET")) {
                get(ex, seg);
            } else if (method.equals("POST")) {
                post(ex, seg);
            } else {
                SimHttp.restError(ex, 405, "Method not allowed");
            }
        } catch (RuntimeException e) {
            SimHttp.restError(ex, 500, "simulator error: " + e);
        }
    }

    private void get(HttpExchange ex, String[] seg) throws IOException {
        String root = seg[0];
        if (seg.length == 1 && root.equals("cameras")) {
            ArrayNode array = SimHttp.JSON.createArrayNode();
            vms.cameras().forEach(c -> array.add(camera(c)));
            SimHttp.json(ex, 200, wrapArray(array));
        } else if (seg.length == 2 && root.equals("cameras")) {
            item(ex, vms.camera(seg[1]).map(this::camera), "camera");
        } else if (seg.length == 3 && root.equals("cameras") && seg[2].equals("streams")) {
            Optional<SimulatedCamera> cam = vms.camera(seg[1]);
            if (cam.isEmpty()) {
                SimHttp.restError(ex, 404, "Camera '" + seg[1] + "' not found");
                return;
            }
            ArrayNode array = SimHttp.JSON.createArrayNode();
            array.addObject().put("displayName", "Video stream 1").put("name", "Video stream 1")
                    .put("streamReferenceId", cam.get().streamId()).put("liveDefault", true)
                    .put("liveMode", "WhenNeeded").put("record", true);
            SimHttp.json(ex, 200, wrapArray(array));
        } else if (seg.length == 2 && root.equals("hardware")) {
            item(ex, vms.cameras().stream().filter(c -> XProtectSimulator.hardwareId(c).equals(seg[1])).findFirst()
                    .map(this::hardware), "hardware");
        } else if (seg.length == 1 && root.equals("recordingServers")) {
            ArrayNode array = SimHttp.JSON.createArrayNode().add(recordingServer());
            SimHttp.json(ex, 200, wrapArray(array));
        } else if (seg.length == 2 && root.equals("recordingServers")) {
            item(ex, seg[1].equalsIgnoreCase(XProtectSimulator.RECORDING_SERVER_ID)
                    ? Optional.of(recordingServer()) : Optional.empty(), "recording server");
        } else if (seg.length == 3 && root.equals("mipKinds") && seg[2].equals("mipItems")) {
            mipItems(ex, seg[1]);
        } else if (seg.length == 1 && root.equals("userDefinedEvents")) {
            ArrayNode array = SimHttp.JSON.createArrayNode();
            vms.userDefinedEvents().forEach((name, id) -> array.add(userDefinedEvent(id, name)));
            SimHttp.json(ex, 200, wrapArray(array));
        } else if (seg.length == 1 && root.equals("eventTypes")) {
            ArrayNode array = SimHttp.JSON.createArrayNode();
            vms.userDefinedEvents().forEach((name, id) -> array.addObject().put("id", id).put("name", name)
                    .put("displayName", name).put("generatorType", "External")
                    .put("generatorSubtype", "UserDefined"));
            SimHttp.json(ex, 200, wrapArray(array));
        } else {
            SimHttp.restError(ex, 404, "No resource at " + PREFIX + "/" + String.join("/", seg));
        }
    }

    private void post(HttpExchange ex, String[] seg) throws IOException {
        byte[] raw = SimHttp.body(ex);
        JsonNode body;
        try {
            body = raw == null ? null : SimHttp.JSON.readTree(raw);
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            SimHttp.badRequest(ex, "The request body must be a JSON object");
            return;
        }
        String root = seg[0];
        String query = String.valueOf(ex.getRequestURI().getQuery());
        if (seg.length == 2 && root.equals("cameras") && query.equals("task=JpegGetLive")) {
            jpegGetLive(ex, seg[1]);
        } else if (seg.length == 1 && root.equals("events")) {
            String type = body.path("type").asText("");
            Optional<PostedEvent> posted = vms.recordEvent(type);
            if (posted.isEmpty()) {
                SimHttp.badRequest(ex, "Unknown event type '" + type + "'");
                return;
            }
            ObjectNode doc = SimHttp.JSON.createObjectNode();
            doc.putObject("data").put("id", java.util.UUID.randomUUID().toString()).put("type", type)
                    .put("time", posted.get().time().toString());
            SimHttp.json(ex, 202, doc);
        } else if (seg.length == 1 && root.equals("userDefinedEvents")) {
            String name = body.path("name").asText("");
            if (name.isBlank()) {
                SimHttp.badRequest(ex, "name is required");
            } else if (!vms.userDefinedEventCreation()) {
                SimHttp.restError(ex, 403, "The user does not have permission to create user-defined events");
            } else if (vms.userDefinedEvents().containsKey(name)) {
                SimHttp.badRequest(ex, "A user-defined event named '" + name + "' already exists");
            } else {
                String id = vms.createUserDefinedEvent(name);
                ObjectNode doc = SimHttp.JSON.createObjectNode();
                doc.set("result", userDefinedEvent(id, name));
                SimHttp.json(ex, 201, doc);
            }
        } else if (seg.length == 1 && root.equals("alarms")) {
            if (body.path("name").asText("").isBlank() || body.path("source").asText("").isBlank()) {
                SimHttp.badRequest(ex, "name and source are required");
                return;
            }
            PostedAlarm alarm = vms.recordAlarm(body.path("name").asText(), body.path("message").asText(""),
                    body.path("source").asText());
            ObjectNode doc = SimHttp.JSON.createObjectNode();
            doc.putObject("data").put("id", alarm.id());
            SimHttp.json(ex, 202, doc);
        } else {
            SimHttp.restError(ex, 404, "No resource at " + PREFIX + "/" + String.join("/", seg));
        }
    }

    /**
     * {@code POST /cameras/{id}?task=JpegGetLive} (reference §8.5): the live picture as JPEG, base64, with its time in
     * the recorder's zone offset form of the spec's example ({@code +00:00} here). Every camera answers with the
     * bundled JPEG clip's first picture (the simulator renders no H.264 to JPEG).
     */
    private void jpegGetLive(HttpExchange ex, String cameraId) throws IOException {
        if (vms.camera(cameraId).isEmpty()) {
            SimHttp.restError(ex, 404, "Camera '" + cameraId + "' not found");
            return;
        }
        byte[] jpeg = vms.imageServer().frames(SimulatorClip.JPEG).frames().get(0).data();
        ObjectNode doc = SimHttp.JSON.createObjectNode();
        doc.putObject("result").put("frameDateTime", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME).replace("Z", "+00:00"))
                .put("jpegDataAsBase64", java.util.Base64.getEncoder().encodeToString(jpeg)).put("state", "Success");
        SimHttp.json(ex, 200, doc);
    }

    private void mipItems(HttpExchange ex, String kind) throws IOException {
        if (!vms.mipKindsAvailable() || !kind.equalsIgnoreCase(RTMP_STREAMER_KIND)) {
            SimHttp.restError(ex, 404, "Resource 'mipKinds' not found");
            return;
        }
        ArrayNode array = SimHttp.JSON.createArrayNode();
        for (SimulatedPluginItem item : vms.pluginItems()) {
            ObjectNode o = array.addObject().put("Id", item.id()).put("Name", item.name());
            for (Map.Entry<String, String> p : item.properties().entrySet()) {
                o.put(p.getKey(), p.getValue());
            }
        }
        SimHttp.json(ex, 200, wrapArray(array));
    }

    private static void item(HttpExchange ex, Optional<ObjectNode> item, String what) throws IOException {
        if (item.isEmpty()) {
            SimHttp.restError(ex, 404, "The " + what + " was not found");
            return;
        }
        ObjectNode doc = SimHttp.JSON.createObjectNode();
        doc.set("data", item.get());
        SimHttp.json(ex, 200, doc);
    }

    private static ObjectNode wrapArray(ArrayNode array) {
        ObjectNode doc = SimHttp.JSON.createObjectNode();
        doc.set("array", array);
        return doc;
    }

    private ObjectNode camera(SimulatedCamera c) {
        ObjectNode o = SimHttp.JSON.createObjectNode().put("displayName", c.name()).put("enabled", true)
                .put("name", c.name()).put("shortName", "").put("description", "Simulated " + c.clip().codec()
                        + " camera").put("gisPoint", c.gisPoint()).put("id", c.id());
        relations(o, "cameras", c.id(), "hardware", XProtectSimulator.hardwareId(c));
        return o;
    }

    private ObjectNode hardware(SimulatedCamera c) {
        String id = XProtectSimulator.hardwareId(c);
        ObjectNode o = SimHttp.JSON.createObjectNode().put("displayName", c.name() + " hardware")
                .put("enabled", true).put("name", c.name() + " hardware").put("address", "http://192.0.2.10/")
                .put("model", "Simulated camera").put("id", id);
        relations(o, "hardware", id, "recordingServers", XProtectSimulator.RECORDING_SERVER_ID);
        return o;
    }

    private ObjectNode recordingServer() {
        String uri = "http://127.0.0.1:" + vms.imageServerPort() + "/";
        ObjectNode o = SimHttp.JSON.createObjectNode().put("displayName", "Simulated recording server")
                .put("name", "Simulated recording server").put("hostName", "127.0.0.1")
                .put("portNumber", vms.imageServerPort()).put("webServerUri", uri).put("activeWebServerUri", uri)
                .put("publicAccessEnabled", false).put("id", XProtectSimulator.RECORDING_SERVER_ID);
        relations(o, "recordingServers", XProtectSimulator.RECORDING_SERVER_ID, "sites", XProtectSimulator.SITE_ID);
        return o;
    }

    private static ObjectNode userDefinedEvent(String id, String name) {
        ObjectNode o = SimHttp.JSON.createObjectNode().put("displayName", name).put("name", name)
                .put("subtype", "UserDefined").put("id", id);
        relations(o, "userDefinedEvents", id, "sites", XProtectSimulator.SITE_ID);
        return o;
    }

    private static void relations(ObjectNode o, String selfType, String selfId, String parentType, String parentId) {
        ObjectNode rel = o.putObject("relations");
        rel.putObject("self").put("type", selfType).put("id", selfId);
        rel.putObject("parent").put("type", parentType).put("id", parentId);
    }
}
