package io.camrelay.vms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The XProtect Configuration REST API ({@code {base}/api/rest/v1}, docs/protocols.md §4): cameras by id
 * or exact name, camera → hardware → recording server ({@code webServerUri}), camera streams, and the stream items of
 * the RTMP Streamer plugin (§6). Obtained from {@link VmsSession#configApi()}.
 */
public final class ConfigRestClient {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigRestClient.class);

    /** MIP kind of the RTMP Streamer plugin's stream items (docs/protocols.md §6, docs/design.md §5). */
    public static final String RTMP_STREAMER_KIND = "ABA1B2C3-D4E5-6789-ABCD-EF0123456780";
    /** Bound on one item reply ({@code {"data":…}}). */
    static final int MAX_ITEM_BYTES = 1024 * 1024;
    /** Bound on a collection reply: thousands of cameras at a few KB each. */
    static final int MAX_COLLECTION_BYTES = 64 * 1024 * 1024;
    /** How long a resolved recorder address is reused before it is asked again. */
    static final Duration RECORDER_CACHE_TTL = Duration.ofMinutes(10);
    /** The shape of an XProtect id. */
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private record Cached(RecorderAddress address, Instant at) {
    }

    /** A JpegGetLive reply holds one picture, base64: a 4K JPEG is a few MB. */
    static final int MAX_SNAPSHOT_BYTES = 32 * 1024 * 1024;
    /** Largest picture asked for by default (both are maximums, docs/protocols.md §8). */
    static final int SNAPSHOT_MAX_WIDTH = 1920;
    static final int SNAPSHOT_MAX_HEIGHT = 1080;

    private record Named(String id, String name, Instant at) {
    }

    private final RestCalls rest;
    private final Map<String, Named> recordingServerOfHardware = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Cached> recorders = new ConcurrentHashMap<>();
    private volatile boolean mipItemsMissingReported;

    ConfigRestClient(VmsHttp http, String baseUrl, AccessTokens tokens, ObjectMapper json) {
        this.rest = new RestCalls(http, baseUrl, tokens, json);
    }

    /** All cameras the user may see. */
    public List<VmsCamera> cameras() {
        JsonNode body = rest.require("GET", "/cameras", rest.get("/cameras", MAX_COLLECTION_BYTES));
        List<VmsCamera> out = new ArrayList<>();
        for (JsonNode c : body.path("array")) {
            out.add(camera(c));
        }
        return out;
    }

    /**
     * The camera with this id or, failing that, this exact name (display name or name).
     *
     * @throws UnknownCameraException when neither matches
     */
    public VmsCamera camera(String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            throw new UnknownCameraException(String.valueOf(idOrName), "empty camera id or name");
        }
        String key = idOrName.trim();
        if (GUID.matcher(key).matches()) {
            Optional<VmsCamera> byId = cameraById(key);
            if (byId.isPresent()) {
                return byId.get();
            }
        }
        List<VmsCamera> all = cameras();
        List<VmsCamera> named = all.stream()
                .filter(c -> c.displayName().equals(key) || c.name().equals(key) || c.id().equalsIgnoreCase(key))
                .toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.size() > 1) {
            throw new UnknownCameraException(key, named.size() + " cameras have this name; use the camera id, one of "
                    + named.stream().map(VmsCamera::id).toList());
        }
        throw new UnknownCameraException(key, "no id or exact name matches among " + all.size() + " cameras");
    }

    /** The camera with this id, if the VMS has it. */
    public Optional<VmsCamera> cameraById(String id) {
        String path = "/cameras/" + enc(id);
        RestCalls.Answer a = rest.get(path, MAX_ITEM_BYTES);
        if (a.status() == 404 || a.status() == 400 && !GUID.matcher(id).matches()) {
            return Optional.empty();
        }
        return Optional.of(camera(rest.require("GET", path, a).path("data")));
    }

    /**
     * The recording server of a camera (by id or exact name): camera → hardware → recording server
     * {@code webServerUri}. Cached for {@link #RECORDER_CACHE_TTL}; {@link #forgetRecorder(String)} drops an entry.
     *
     * @throws UnknownCameraException when the VMS has no such camera
     */
    public RecorderAddress recorderFor(String camera) {
        Cached c = recorders.get(camera);
        Instant now = clock.instant();
        if (c != null && now.isBefore(c.at().plus(RECORDER_CACHE_TTL))) {
            return c.address();
        }
        VmsCamera cam = camera(camera);
        RecorderAddress address = resolveRecorder(cam);
        recorders.put(camera, new Cached(address, now));
        LOG.debug("camera {} is served by recorder {}:{} (tls={})", cam.id(), address.host(), address.port(),
                address.tls());
        return address;
    }

    /**
     * The name of the recording server a camera is on (camera → hardware → recording server), cached for
     * {@link #RECORDER_CACHE_TTL}; empty when the VMS does not say.
     */
    public Optional<String> recordingServerName(VmsCamera cam) {
        String hardwareId = cam.hardwareId();
        if (hardwareId == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Named cached = recordingServerOfHardware.get(hardwareId);
        if (cached == null || !now.isBefore(cached.at().plus(RECORDER_CACHE_TTL))) {
            String hwPath = "/hardware/" + enc(hardwareId);
            RestCalls.Answer hw = rest.get(hwPath, MAX_ITEM_BYTES);
            if (hw.status() != 200) {
                return Optional.empty();
            }
            String rsId = hw.body().path("data").path("relations").path("parent").path("id").asText("");
            if (rsId.isBlank()) {
                return Optional.empty();
            }
            String rsPath = "/recordingServers/" + enc(rsId);
            RestCalls.Answer rs = rest.get(rsPath, MAX_ITEM_BYTES);
            JsonNode data = rs.body().path("data");
            String name = rs.status() == 200 ? data.path("displayName").asText(data.path("name").asText(rsId)) : rsId;
            cached = new Named(rsId, name, now);
            recordingServerOfHardware.put(hardwareId, cached);
        }
        return Optional.of(cached.name());
    }

    /**
     * The camera's live picture as JPEG ({@code POST /cameras/{id}?task=JpegGetLive}, docs/protocols.md §8), at most
     * 1920×1080.
     *
     * @throws UnknownCameraException when the VMS has no such camera
     * @throws XProtectApiException   when the VMS refuses the task or has no picture
     */
    public CameraSnapshot jpegGetLive(String cameraId) {
        String path = "/cameras/" + enc(cameraId) + "?task=JpegGetLive";
        RestCalls.Answer a = rest.post(path, rest.json().createObjectNode().put("width", SNAPSHOT_MAX_WIDTH)
                .put("height", SNAPSHOT_MAX_HEIGHT), MAX_SNAPSHOT_BYTES);
        if (a.status() == 404) {
            throw new UnknownCameraException(cameraId, "POST " + RestCalls.API_PATH + path + " answered 404");
        }
        JsonNode result = rest.require("POST", path, a).path("result");
        String data = result.path("jpegDataAsBase64").asText("");
        if (data.isEmpty() || !"Success".equalsIgnoreCase(result.path("state").asText("Success"))) {
            throw new XProtectApiException("XProtect has no live picture of camera " + cameraId + " (JpegGetLive "
                    + "state " + result.path("state").asText("?") + "): is the camera connected and enabled?", 200);
        }
        byte[] jpeg;
        try {
            jpeg = java.util.Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new XProtectApiException("XProtect JpegGetLive of camera " + cameraId + " answered a picture that "
                    + "is not base64", 200);
        }
        Instant time = null;
        try {
            time = java.time.OffsetDateTime.parse(result.path("frameDateTime").asText("")).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            // the time is informative only
        }
        return new CameraSnapshot(time, jpeg);
    }

    /** Forgets the cached recorder of {@code camera} (after a connection to it failed). */
    public void forgetRecorder(String camera) {
        recorders.remove(camera);
    }

    /** The camera's streams; the one with {@code liveDefault} is the ImageServer's default. */
    public List<CameraStream> streams(String cameraId) {
        String path = "/cameras/" + enc(cameraId) + "/streams";
        RestCalls.Answer a = rest.get(path, MAX_ITEM_BYTES);
        if (a.status() == 404) {
            throw new UnknownCameraException(cameraId, "GET " + path + " answered 404");
        }
        List<CameraStream> out = new ArrayList<>();
        for (JsonNode entry : rest.require("GET", path, a).path("array")) {
            // Some versions wrap the streams in one entry with a "stream" list; accept both shapes.
            if (entry.path("stream").isArray()) {
                entry.path("stream").forEach(s -> addStream(out, s));
            } else {
                addStream(out, entry);
            }
        }
        return out;
    }

    /**
     * The stream items of the RTMP Streamer plugin. A VMS without the {@code mipKinds} endpoint (404) is reported once
     * as a warning and yields an empty list on every call (docs/design.md §5).
     */
    public List<RtmpStreamerItem> rtmpStreamerItems() {
        String path = "/mipKinds/" + RTMP_STREAMER_KIND + "/mipItems";
        RestCalls.Answer a = rest.get(path, MAX_COLLECTION_BYTES);
        if (a.status() == 404) {
            if (!mipItemsMissingReported) {
                mipItemsMissingReported = true;
                LOG.warn("XProtect has no REST endpoint {}{} (HTTP 404): this VMS version or the missing RTMP Streamer"
                        + " plugin offers no stream items; only the streams file is used (set"
                        + " camrelay.streams.from-xprotect=false to stop asking)", RestCalls.API_PATH, path);
            }
            return List.of();
        }
        JsonNode body = rest.require("GET", path, a);
        if (mipItemsMissingReported) {
            mipItemsMissingReported = false;
            LOG.info("XProtect now offers RTMP Streamer stream items");
        }
        List<RtmpStreamerItem> out = new ArrayList<>();
        for (JsonNode item : body.path("array")) {
            out.add(streamerItem(item));
        }
        return out;
    }

    private RecorderAddress resolveRecorder(VmsCamera cam) {
        String hardwareId = cam.hardwareId();
        if (hardwareId == null) {
            hardwareId = parentId(rest.require("GET", "/cameras/" + enc(cam.id()),
                    rest.get("/cameras/" + enc(cam.id()), MAX_ITEM_BYTES)).path("data"), "camera " + cam.id());
        }
        String hwPath = "/hardware/" + enc(hardwareId);
        JsonNode hardware = rest.require("GET", hwPath, rest.get(hwPath, MAX_ITEM_BYTES)).path("data");
        String recorderId = parentId(hardware, "hardware " + hardwareId);
        String rsPath = "/recordingServers/" + enc(recorderId);
        JsonNode rs = rest.require("GET", rsPath, rest.get(rsPath, MAX_ITEM_BYTES)).path("data");
        String uri = rs.path("webServerUri").asText("");
        if (uri.isBlank()) {
            uri = rs.path("activeWebServerUri").asText("");
        }
        if (uri.isBlank()) {
            throw new XProtectApiException("XProtect recording server " + recorderId + " of camera '"
                    + cam.displayName() + "' has no webServerUri: check the recording server's web server"
                    + " settings in the Management Client", 200);
        }
        try {
            return RecorderAddress.fromWebServerUri(uri);
        } catch (IllegalArgumentException e) {
            throw new XProtectApiException(e.getMessage() + " (recording server " + recorderId + ")", 200);
        }
    }

    private static String parentId(JsonNode item, String what) {
        String id = item.path("relations").path("parent").path("id").asText("");
        if (id.isBlank()) {
            throw new XProtectApiException("XProtect " + what + " has no relations.parent: cannot find its"
                    + " recording server", 200);
        }
        return id;
    }

    private static VmsCamera camera(JsonNode c) {
        String parent = c.path("relations").path("parent").path("id").asText("");
        JsonNode gis = c.path("gisPoint");
        return new VmsCamera(c.path("id").asText(), c.path("name").asText(""), c.path("displayName").asText(""),
                c.path("enabled").asBoolean(true), parent.isEmpty() ? null : parent,
                gis.isTextual() ? gis.asText() : null);
    }

    private static void addStream(List<CameraStream> out, JsonNode s) {
        String ref = s.path("streamReferenceId").asText("");
        if (!ref.isEmpty()) {
            String name = s.path("displayName").asText(s.path("name").asText(""));
            out.add(new CameraStream(name, ref, s.path("liveDefault").asBoolean(false)));
        }
    }

    /** One plugin item of the mipItems collection, flat or with its properties nested (docs/protocols.md §4). */
    static RtmpStreamerItem streamerItem(JsonNode item) {
        // Plugin properties are top-level keys beside Id and Name (docs/protocols.md §4); some versions nest "properties".
        return new RtmpStreamerItem(prop(item, "Id"), prop(item, "Name", "displayName"), prop(item, "CameraId"),
                prop(item, "CameraName"), prop(item, "RtmpUrl"), yesNo(prop(item, "Enabled"), true),
                yesNo(prop(item, "AllowUntrustedCerts"), false));
    }

    private static String prop(JsonNode item, String... names) {
        for (JsonNode scope : new JsonNode[] {item, item.path("properties")}) {
            for (String n : names) {
                for (Iterator<String> it = scope.fieldNames(); it.hasNext(); ) {
                    String field = it.next();
                    if (field.equalsIgnoreCase(n) && scope.get(field).isValueNode()) {
                        return scope.get(field).asText();
                    }
                }
            }
        }
        return null;
    }

    /**
     * A Yes/No property of a plugin item, read by the plugin's own rule: absent or blank means {@code absent}, and
     * only No, False and 0 (any case) mean no; every other value means yes.
     */
    static boolean yesNo(String value, boolean absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        return !(v.equals("no") || v.equals("false") || v.equals("0"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
