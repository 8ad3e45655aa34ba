package io.camrelay.streams;

import io.camrelay.support.StreamThreads;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One stream as the operator defined it (docs/design.md §5): which camera goes to which destinations. Immutable and
 * valid by construction; {@link #fingerprint()} tells the reconciler whether a running route is still current.
 *
 * @param id           route-safe id ({@code [a-z0-9-]}), derived from the name when the operator gave none
 * @param name         display name
 * @param camera       camera id or its exact name in XProtect
 * @param cameraStream stream reference id of the camera, or {@code null} for the default live stream
 * @param enabled      whether the stream should run; a disabled stream has no route (state DISABLED)
 * @param destinations one or more destinations
 * @param source       the streams file or an XProtect plugin item
 * @param hold         what the destinations get while the camera side is lost (docs/design.md §7a)
 * @param rotate       republish every RTMP destination at a key frame this often, or null for never
 * @param schedule     when the stream runs (outside it: SCHEDULED), or null for always
 * @param alerts       whether the alert webhook hears of this stream
 */
public record StreamDefinition(String id, String name, String camera, String cameraStream, boolean enabled,
                               List<Destination> destinations, StreamSource source, HoldSettings hold,
                               Duration rotate, ScheduleSettings schedule, boolean alerts) {

    /** Stream ids become route ids ({@code stream-<id>}) and URL paths ({@code /api/streams/<id>}). */
    static final Pattern ID = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    /** Long enough for any sensible name, short enough for a route id and a metrics label. */
    static final int MAX_ID_LENGTH = 64;

    public StreamDefinition {
        Objects.requireNonNull(source, "source");
        if (id == null || !ID.matcher(id).matches() || id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("invalid stream id '" + id + "': expected 1 to " + MAX_ID_LENGTH
                    + " characters a-z, 0-9 and '-', not starting or ending with '-' (e.g. lobby-youtube)");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("stream '" + id + "' has no name: give it a name");
        }
        if (camera == null || camera.isBlank()) {
            throw new IllegalArgumentException("stream '" + id + "' has no camera: set camera to the camera id or"
                    + " its exact name in XProtect");
        }
        if (cameraStream != null && cameraStream.isBlank()) {
            cameraStream = null;
        }
        Objects.requireNonNull(destinations, "destinations");
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("stream '" + id + "' has no destination: add a url or destinations");
        }
        destinations = List.copyOf(destinations);
        Objects.requireNonNull(hold, "hold");
        if (rotate != null && (rotate.isNegative() || rotate.isZero())) {
            throw new IllegalArgumentException("stream '" + id + "': rotate must be positive, got " + rotate);
        }
    }

    /** A definition that runs always and alerts. */
    public StreamDefinition(String id, String name, String camera, String cameraStream, boolean enabled,
                            List<Destination> destinations, StreamSource source, HoldSettings hold,
                            Duration rotate) {
        this(id, name, camera, cameraStream, enabled, destinations, source, hold, rotate, null, true);
    }

    /** A definition with the default hold and no rotation. */
    public StreamDefinition(String id, String name, String camera, String cameraStream, boolean enabled,
                            List<Destination> destinations, StreamSource source) {
        this(id, name, camera, cameraStream, enabled, destinations, source, HoldSettings.DEFAULT, null);
    }

    /** What every stream route id starts with. */
    private static final String ROUTE_PREFIX = StreamThreads.ROUTE_ID_PREFIX;

    /** The Camel route id of this stream. */
    public String routeId() {
        return routeIdOf(id);
    }

    /** The Camel route id of the stream {@code id}: {@code stream-<id>}. */
    public static String routeIdOf(String id) {
        return ROUTE_PREFIX + id;
    }

    /** The stream id of a stream route id ({@code stream-<id>}), or null for another route. */
    public static String streamIdOf(String routeId) {
        return StreamThreads.streamIdOfRoute(routeId);
    }

    /**
     * The id derived from a display name: lower case, every run of characters other than a-z and 0-9 becomes one
     * '-', leading and trailing '-' removed ("Lobby → YouTube!" → {@code lobby-youtube}); cut to the maximum length.
     * Returns an empty string when the name has no letter or digit.
     */
    public static String deriveId(String name) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        StringBuilder id = new StringBuilder(lower.length());
        boolean dash = false;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (dash && id.length() > 0) {
                    id.append('-');
                }
                dash = false;
                id.append(c);
            } else {
                dash = true;
            }
        }
        String derived = id.length() > MAX_ID_LENGTH ? id.substring(0, MAX_ID_LENGTH) : id.toString();
        while (derived.endsWith("-")) {
            derived = derived.substring(0, derived.length() - 1);
        }
        return derived;
    }

    /**
     * A stable SHA-256 (hex) over everything that shapes the stream's route, the camera side: id, camera, camera
     * stream, enabled and source. A changed fingerprint restarts the route. The display name is left out on purpose
     * (a renamed stream keeps running), and so are the destinations, {@code hold} and {@code rotate}: they belong to
     * the stream's outputs, which outlive the route and take such changes without restarting the camera
     * (docs/design.md §7a: a changed or removed destination republishes alone, hold and rotate apply at once).
     * {@code schedule} and {@code alerts} are left out too: the schedule gate and the alerts read them at every
     * check, and a schedule that closes the stream stops it through the gate, not through a new route.
     */
    public String fingerprint() {
        StringBuilder canonical = new StringBuilder(128);
        field(canonical, "id", id);
        field(canonical, "camera", camera);
        field(canonical, "cameraStream", cameraStream);
        field(canonical, "enabled", Boolean.toString(enabled));
        field(canonical, "source", source.jsonName());
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Length-prefixed so that no two different definitions share a canonical form. */
    private static void field(StringBuilder out, String key, String value) {
        out.append(key).append('=');
        if (value == null) {
            out.append("-1:");
        } else {
            out.append(value.length()).append(':').append(value);
        }
        out.append(';');
    }

    /** A copy with another enabled flag. */
    StreamDefinition withEnabled(boolean on) {
        return new StreamDefinition(id, name, camera, cameraStream, on, destinations, source, hold, rotate, schedule,
                alerts);
    }

    @Override
    public String toString() {
        return "StreamDefinition[id=" + id + ", name=" + name + ", camera=" + camera + ", cameraStream=" + cameraStream
                + ", enabled=" + enabled + ", destinations=" + destinations + ", source=" + source.jsonName()
                + ", hold=" + hold + ", rotate=" + rotate + ", schedule=" + schedule + ", alerts=" + alerts + "]";
    }
}
