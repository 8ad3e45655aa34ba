package io.camrelay.streams;

import io.camrelay.support.Durations;
import io.camrelay.support.Secrets;
import io.camrelay.streams.YamlTree.Entry;
import io.camrelay.streams.YamlTree.ListNode;
import io.camrelay.streams.YamlTree.MapNode;
import io.camrelay.streams.YamlTree.Node;
import io.camrelay.streams.YamlTree.Scalar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the streams file (docs/design.md §5). Every error names the file, the line and the field, e.g.
 * {@code config/streams.yaml line 7, field 'destinations[0].url': 'rtmpx://…' is not an rtmp://, rtmps:// URL or a .flv
 * file path}; keys are masked. A stream with a wrong field becomes a {@link StreamProblem} (it goes to ERROR, the
 * others run); a file that cannot be read as a whole throws {@link StreamsFileException}. A disabled stream may refer
 * to unset variables (they stay as written), so an example file with keys for every platform starts cleanly.
 */
public final class StreamsFileLoader {

    /** The keys of one stream (docs/design.md §5). */
    static final List<String> STREAM_KEYS = List.of("id", "name", "camera", "cameraStream", "enabled", "destinations",
            "url", "allowUntrustedCertificates", "maxSize", "maxDuration", "hold", "rotate", "schedule", "alerts");
    /** The keys of one destination. */
    static final List<String> DESTINATION_KEYS = List.of("url", "allowUntrustedCertificates", "maxSize",
            "maxDuration");
    /** The keys of a stream's {@code hold:} (docs/design.md §7a). */
    static final List<String> HOLD_KEYS = List.of("mode", "slate", "maxDuration");
    /** The keys of a stream's {@code schedule:} (docs/design.md §5). */
    static final List<String> SCHEDULE_KEYS = List.of("timezone", "windows", "daylight", "location",
            "daylightMargin");
    /** What turns a setting off ({@code rotate: off}, {@code hold.mode: off}); YAML may read it as false. */
    static final String OFF = "off";
    /** The shortest {@code rotate}: a republish more often than this is a mistake, not a rotation. */
    static final Duration MIN_ROTATE = Duration.ofSeconds(10);
    /** The shortest {@code hold.maxDuration} and file {@code maxDuration}. */
    static final Duration MIN_DURATION = Duration.ofSeconds(1);
    /** {@code maxSize}: a number of bytes with an optional unit (KB, MB, GB, TB powers of 1000; KiB … of 1024). */
    private static final Pattern SIZE = Pattern.compile("(?i)^(\\d+)\\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?$");
    /** The only top-level key. */
    static final String STREAMS = "streams";
    /** {@code ${env:NAME}} or {@code ${env:NAME:default}}. */
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");

    /** A streams file larger than this is a mistake (a log or video named .yaml); reading it whole would be too. */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    private final DestinationTypes types;
    private final Function<String, String> environment;

    /** A loader that checks destinations with {@code types} and substitutes {@code ${env:…}} from the environment. */
    public StreamsFileLoader(DestinationTypes types) {
        this(types, System::getenv);
    }

    /** A loader with another environment (tests). */
    StreamsFileLoader(DestinationTypes types, Function<String, String> environment) {
        this.types = Objects.requireNonNull(types, "types");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * Loads {@code file}; errors name it as {@code file} was given (e.g. {@code config/streams.yaml}).
     *
     * @throws StreamsFileException when the file is missing, unreadable or unusable as a whole
     */
    public DefinitionSet load(Path file) {
        String text;
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // a FIFO would block the poller forever, a device (/dev/zero) would never end
                throw new StreamsFileException(List.of(file + " is not a regular file (a FIFO, device or "
                        + "directory?): set camrelay.streams.file to the streams file"));
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw tooLarge(file, size + " bytes");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) MAX_FILE_BYTES + 1); // the size may have changed since it was asked
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw tooLarge(file, "more than " + MAX_FILE_BYTES + " bytes");
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new StreamsFileException(file + " does not exist: create it (see config/streams.yaml in the"
                    + " distribution) or set camrelay.streams.file= (empty) to define streams only in XProtect", e);
        } catch (IOException e) {
            throw new StreamsFileException(file + " cannot be read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    private static StreamsFileException tooLarge(Path file, String size) {
        return new StreamsFileException(List.of(file + " is " + size + ", more than a streams file can be ("
                + MAX_FILE_BYTES + "): check that camrelay.streams.file names the streams file"));
    }

    /** Parses the text of a streams file called {@code fileName} in messages. */
    DefinitionSet parse(String text, String fileName) {
        Node root;
        try {
            root = YamlTree.parse(text);
        } catch (YamlTree.SyntaxException e) {
            throw new StreamsFileException(fileName + " line " + e.line + ": not valid YAML ("
                    + Secrets.maskUrlsIn(e.getMessage()) + "): check the indentation and quoting around that line",
                    e);
        }
        if (root == null) {
            return DefinitionSet.EMPTY;
        }
        List<String> fileErrors = new ArrayList<>();
        if (!(root instanceof MapNode top)) {
            throw new StreamsFileException(List.of(at(fileName, root.line(), null)
                    + "expected a mapping with the key 'streams:', found " + root.kind()));
        }
        for (Entry e : top.entries().values()) {
            if (!STREAMS.equals(e.key())) {
                fileErrors.add(at(fileName, e.line(), e.key()) + "unknown key '" + e.key()
                        + "': the file has one top-level key, 'streams'");
            }
        }
        Entry streams = top.entries().get(STREAMS);
        List<StreamDefinition> valid = new ArrayList<>();
        List<StreamProblem> problems = new ArrayList<>();
        if (streams != null && !(streams.value() instanceof Scalar s && s.text() == null)) {
            if (!(streams.value() instanceof ListNode list)) {
                fileErrors.add(at(fileName, streams.line(), STREAMS) + "expected a list of streams ('- name: …'),"
                        + " found " + streams.value().kind());
            } else {
                Map<String, Integer> idLines = new HashMap<>();
                for (int i = 0; i < list.items().size(); i++) {
                    new StreamReader(fileName, "streams[" + i + "]", list.items().get(i))
                            .read(valid, problems, fileErrors, idLines);
                }
            }
        }
        if (!fileErrors.isEmpty()) {
            throw new StreamsFileException(fileErrors);
        }
        return new DefinitionSet(valid, problems);
    }

    private static String at(String file, int line, String field) {
        return file + " line " + line + (field == null ? ": " : ", field '" + field + "': ");
    }

    /** A problem in one stream's fields; the stream goes to ERROR. */
    private static final class FieldException extends Exception {
        private static final long serialVersionUID = 1L;

        FieldException(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads one item of the {@code streams:} list. */
    private final class StreamReader {
        private final String file;
        private final String path;
        private final Node node;
        /** A disabled stream does not run, so a variable it refers to may be unset. */
        private boolean disabled;

        StreamReader(String file, String path, Node node) {
            this.file = file;
            this.path = path;
            this.node = node;
        }

        void read(List<StreamDefinition> valid, List<StreamProblem> problems, List<String> fileErrors,
                  Map<String, Integer> idLines) {
            if (!(node instanceof MapNode map)) {
                fileErrors.add(at(file, node.line(), path) + "expected a stream (a mapping with name, camera and"
                        + " url or destinations), found " + node.kind());
                return;
            }
            String id;
            String name;
            try {
                name = text(map, "name");
                String explicitId = text(map, "id");
                if (explicitId == null && name == null) {
                    fileErrors.add(at(file, map.line(), path) + "the stream has neither 'id' nor 'name': give it a"
                            + " name (the id is derived from it)");
                    return;
                }
                // derived from the name as written: a ${env:…} in it must not put its value (a key?) into the id,
                // which logs, metrics and route ids show as it is
                String writtenName = written(map, "name");
                id = explicitId != null ? explicitId : StreamDefinition.deriveId(writtenName);
                if (!StreamDefinition.ID.matcher(id).matches() || id.length() > StreamDefinition.MAX_ID_LENGTH) {
                    Entry e = map.entries().getOrDefault("id", map.entries().get("name"));
                    fileErrors.add(at(file, e.line(), e.key()) + (explicitId != null
                            ? "'" + id + "' is not a valid id: use 1 to " + StreamDefinition.MAX_ID_LENGTH
                            + " characters a-z, 0-9 and '-' (not at the start or end)"
                            : "cannot derive an id from the name '" + writtenName + "': add an 'id:' of a-z, 0-9 "
                            + "and '-'"));
                    return;
                }
            } catch (FieldException e) {
                fileErrors.add(e.getMessage());
                return;
            }
            Integer firstLine = idLines.putIfAbsent(id, map.line());
            if (firstLine != null) {
                fileErrors.add(at(file, map.line(), path) + "duplicate stream id '" + id + "' (first defined on line "
                        + firstLine + "): give one of them another 'id:' or name");
                return;
            }
            String camera = null;
            try {
                if (!map.duplicates().isEmpty()) {
                    Entry d = map.duplicates().get(0);
                    throw new FieldException(at(file, d.line(), d.key()) + "the key '" + d.key() + "' appears twice"
                            + " in this stream: keep one");
                }
                checkKeys(map, STREAM_KEYS, "");
                boolean enabled = bool(map, "enabled", true);
                disabled = !enabled;
                camera = text(map, "camera");
                if (camera == null) {
                    throw new FieldException(at(file, map.line(), path) + "the stream '" + id + "' has no 'camera':"
                            + " set it to the camera id or its exact name in XProtect");
                }
                String cameraStream = text(map, "cameraStream");
                List<Destination> destinations = destinations(map, id);
                HoldSettings hold = hold(map);
                Duration rotate = rotate(map);
                ScheduleSettings schedule = schedule(map);
                boolean alerts = bool(map, "alerts", true);
                valid.add(new StreamDefinition(id, name == null ? id : name, camera, cameraStream, enabled,
                        destinations, StreamSource.FILE, hold, rotate, schedule, alerts));
            } catch (FieldException e) {
                problems.add(new StreamProblem(id, name, camera, StreamSource.FILE, e.getMessage()));
            } catch (IllegalArgumentException e) {
                problems.add(new StreamProblem(id, name, camera, StreamSource.FILE,
                        at(file, map.line(), path) + e.getMessage()));
            }
        }

        private List<Destination> destinations(MapNode map, String id) throws FieldException {
            Entry list = map.entries().get("destinations");
            Entry url = map.entries().get("url");
            if (list != null && url != null) {
                throw new FieldException(at(file, url.line(), "url") + "a stream has either 'url:' (one destination)"
                        + " or 'destinations:' (a list), not both: move this url into the destinations list");
            }
            if (list == null) {
                if (url == null) {
                    throw new FieldException(at(file, map.line(), path) + "the stream '" + id + "' has no destination:"
                            + " add 'url: rtmps://…/<key>' or a 'destinations:' list");
                }
                return List.of(destination(map, ""));
            }
            for (String perDestination : List.of("allowUntrustedCertificates", "maxSize", "maxDuration")) {
                Entry e = map.entries().get(perDestination);
                if (e != null) {
                    throw new FieldException(at(file, e.line(), perDestination) + "with a 'destinations:' list, set "
                            + perDestination + " on each destination");
                }
            }
            if (!(list.value() instanceof ListNode items) || items.items().isEmpty()) {
                throw new FieldException(at(file, list.line(), "destinations") + "expected a list of destinations"
                        + " ('- url: …'), found " + (list.value() instanceof ListNode ? "an empty list"
                        : list.value().kind()));
            }
            List<Destination> out = new ArrayList<>();
            for (int i = 0; i < items.items().size(); i++) {
                String prefix = "destinations[" + i + "].";
                Node item = items.items().get(i);
                if (!(item instanceof MapNode d)) {
                    throw new FieldException(at(file, item.line(), "destinations[" + i + "]") + "expected a"
                            + " destination ('url: …'), found " + item.kind());
                }
                checkKeys(d, DESTINATION_KEYS, prefix);
                if (!d.entries().containsKey("url")) {
                    throw new FieldException(at(file, d.line(), prefix + "url") + "the destination has no 'url':"
                            + " add " + types.accepted());
                }
                out.add(destination(d, prefix));
            }
            return out;
        }

        private Destination destination(MapNode map, String prefix) throws FieldException {
            String url = textAt(map, "url", prefix);
            int line = map.entries().get("url").line();
            String problem = url == null ? "the url is empty: expected " + types.accepted() : types.problemWith(url);
            if (problem != null) {
                throw new FieldException(at(file, line, prefix + "url") + problem);
            }
            long maxSize = size(map, "maxSize", prefix);
            Duration maxDuration = duration(map, "maxDuration", prefix, MIN_DURATION, "1s");
            if ((maxSize > 0 || maxDuration != null) && !new Destination(url, false).isFile()) {
                Entry e = map.entries().getOrDefault("maxSize", map.entries().get("maxDuration"));
                throw new FieldException(at(file, e.line(), prefix + e.key()) + e.key() + " applies to file"
                        + " destinations (.flv) only: a publish is rotated with the stream's 'rotate'");
            }
            return new Destination(url, boolAt(map, "allowUntrustedCertificates", false, prefix), maxSize,
                    maxDuration);
        }

        /** The stream's {@code hold:} mapping, or the defaults (freeze, 10 min) when absent. */
        private HoldSettings hold(MapNode map) throws FieldException {
            Entry e = map.entries().get("hold");
            if (e == null || (e.value() instanceof Scalar s && s.text() == null)) {
                return HoldSettings.DEFAULT;
            }
            if (!(e.value() instanceof MapNode hold)) {
                throw new FieldException(at(file, e.line(), "hold") + "expected a mapping (mode, slate, maxDuration),"
                        + " found " + e.value().kind());
            }
            checkKeys(hold, HOLD_KEYS, "hold.");
            HoldMode mode = HoldMode.FREEZE;
            Entry m = hold.entries().get("mode");
            String modeText = offOrText(hold, "mode", "hold.");
            if (modeText != null) {
                mode = switch (modeText.toLowerCase(java.util.Locale.ROOT)) {
                    case "freeze" -> HoldMode.FREEZE;
                    case "slate" -> HoldMode.SLATE;
                    case OFF -> HoldMode.OFF;
                    default -> throw new FieldException(at(file, m.line(), "hold.mode") + "'" + modeText + "' is"
                            + " not a hold mode: expected freeze (the last key frame), slate (hold.slate) or off");
                };
            }
            Path slate = null;
            String slateText = textAt(hold, "slate", "hold.");
            if (slateText != null) {
                Entry se = hold.entries().get("slate");
                slate = Path.of(slateText);
                if (!HoldSlate.knownEnding(slate)) {
                    throw new FieldException(at(file, se.line(), "hold.slate") + "'" + slateText + "' is neither an"
                            + " H.264 Annex B file (.h264, .264) nor an .flv file");
                }
                if (!disabled) {
                    try {
                        HoldSlate.load(slate);
                    } catch (IllegalArgumentException ex) {
                        throw new FieldException(at(file, se.line(), "hold.slate") + ex.getMessage());
                    }
                }
            }
            if (mode == HoldMode.SLATE && slate == null) {
                throw new FieldException(at(file, m.line(), "hold.mode") + "hold.mode slate needs hold.slate: the"
                        + " H.264 (.h264) or .flv file to play (see the README for the ffmpeg command that makes one)");
            }
            Duration maxDuration = duration(hold, "maxDuration", "hold.", MIN_DURATION, "1s");
            return new HoldSettings(mode, slate, maxDuration == null ? HoldSettings.DEFAULT_MAX_DURATION : maxDuration);
        }

        /** The stream's {@code rotate}, or null for never (absent or {@code off}). */
        private Duration rotate(MapNode map) throws FieldException {
            String text = offOrText(map, "rotate", "");
            if (text == null || OFF.equalsIgnoreCase(text)) {
                return null;
            }
            return duration(map, "rotate", "", MIN_ROTATE, "10s");
        }

        /** The stream's {@code schedule:} mapping, or null (always) when absent. */
        private ScheduleSettings schedule(MapNode map) throws FieldException {
            Entry e = map.entries().get("schedule");
            if (e == null || (e.value() instanceof Scalar s && s.text() == null)) {
                return null;
            }
            if (!(e.value() instanceof MapNode schedule)) {
                throw new FieldException(at(file, e.line(), "schedule") + "expected a mapping (timezone, windows,"
                        + " daylight, location, daylightMargin), found " + e.value().kind());
            }
            checkKeys(schedule, SCHEDULE_KEYS, "schedule.");
            ZoneId zone = ZoneId.systemDefault();
            String zoneText = textAt(schedule, "timezone", "schedule.");
            if (zoneText != null) {
                try {
                    zone = ZoneId.of(zoneText);
                } catch (DateTimeException ex) {
                    throw new FieldException(at(file, schedule.entries().get("timezone").line(), "schedule.timezone")
                            + "'" + zoneText + "' is not a time zone: expected a region such as Europe/Copenhagen or"
                            + " America/New_York");
                }
            }
            List<ScheduleWindow> windows = new ArrayList<>();
            Entry w = schedule.entries().get("windows");
            if (w != null && w.value() instanceof ListNode list) {
                for (int i = 0; i < list.items().size(); i++) {
                    Node item = list.items().get(i);
                    windows.add(window(item instanceof Scalar s ? s.text() : null, item.line(),
                            "schedule.windows[" + i + "]", item.kind()));
                }
            } else if (w != null && w.value() instanceof Scalar s && s.text() != null) {
                windows.add(window(s.text(), w.line(), "schedule.windows", "a text"));
            } else if (w != null && !(w.value() instanceof Scalar)) {
                throw new FieldException(at(file, w.line(), "schedule.windows") + "expected a list of windows such as"
                        + " [\"Mon-Fri 07:00-19:00\"], found " + w.value().kind());
            }
            boolean daylight = boolAt(schedule, "daylight", false, "schedule.");
            GeoLocation location = null;
            String locationText = textAt(schedule, "location", "schedule.");
            if (locationText != null) {
                try {
                    location = GeoLocation.parse(locationText);
                } catch (IllegalArgumentException ex) {
                    throw new FieldException(at(file, schedule.entries().get("location").line(), "schedule.location")
                            + ex.getMessage());
                }
            }
            Duration margin = duration(schedule, "daylightMargin", "schedule.", Duration.ZERO, "0");
            try {
                return new ScheduleSettings(zone, windows, daylight, location,
                        margin == null ? ScheduleSettings.DEFAULT_DAYLIGHT_MARGIN : margin);
            } catch (IllegalArgumentException ex) {
                throw new FieldException(at(file, e.line(), "schedule") + ex.getMessage());
            }
        }

        private ScheduleWindow window(String text, int line, String field, String kind) throws FieldException {
            if (text == null) {
                throw new FieldException(at(file, line, field) + "expected a window such as \"Mon-Fri 07:00-19:00\","
                        + " found " + kind);
            }
            try {
                return ScheduleWindow.parse(substitute(text, line, field));
            } catch (IllegalArgumentException ex) {
                throw new FieldException(at(file, line, field) + ex.getMessage());
            }
        }

        /** A text, reading YAML's false as "off" (YAML 1.1 turns a bare off into a boolean). */
        private String offOrText(MapNode map, String key, String prefix) throws FieldException {
            Entry e = map.entries().get(key);
            if (e != null && e.value() instanceof Scalar s && Boolean.FALSE.equals(s.bool())) {
                return OFF;
            }
            return textAt(map, key, prefix);
        }

        private Duration duration(MapNode map, String key, String prefix, Duration min, String minText)
                throws FieldException {
            String text = textAt(map, key, prefix);
            if (text == null) {
                return null;
            }
            try {
                return Durations.parseAtLeast("'" + prefix + key + "'", text, min, minText);
            } catch (IllegalArgumentException ex) {
                throw new FieldException(at(file, map.entries().get(key).line(), prefix + key) + ex.getMessage());
            }
        }

        /** A {@code maxSize} in bytes (0 when absent). */
        private long size(MapNode map, String key, String prefix) throws FieldException {
            String text = textAt(map, key, prefix);
            if (text == null) {
                return 0;
            }
            Matcher m = SIZE.matcher(text.strip());
            int line = map.entries().get(key).line();
            if (!m.matches()) {
                throw new FieldException(at(file, line, prefix + key) + "'" + text + "' is not a size: expected bytes"
                        + " with an optional unit, e.g. 500MB, 2GB, 4GiB or 1048576");
            }
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT);
            long multiplier = switch (unit) {
                case "kb" -> 1_000L;
                case "mb" -> 1_000_000L;
                case "gb" -> 1_000_000_000L;
                case "tb" -> 1_000_000_000_000L;
                case "kib" -> 1L << 10;
                case "mib" -> 1L << 20;
                case "gib" -> 1L << 30;
                case "tib" -> 1L << 40;
                default -> 1L;
            };
            try {
                long bytes = Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
                if (bytes <= 0) {
                    throw new FieldException(at(file, line, prefix + key) + "maxSize must be more than 0 bytes");
                }
                return bytes;
            } catch (ArithmeticException | NumberFormatException ex) {
                throw new FieldException(at(file, line, prefix + key) + "'" + text + "' is too large");
            }
        }

        private void checkKeys(MapNode map, List<String> allowed, String prefix) throws FieldException {
            for (Entry e : map.entries().values()) {
                if (!allowed.contains(e.key())) {
                    throw new FieldException(at(file, e.line(), prefix + e.key()) + "unknown key '" + e.key()
                            + "': expected one of " + String.join(", ", allowed));
                }
            }
        }

        private String text(MapNode map, String key) throws FieldException {
            return textAt(map, key, "");
        }

        /** The text of {@code key} as written in the file, without {@code ${env:…}} substituted; null when absent. */
        private String written(MapNode map, String key) {
            Entry e = map.entries().get(key);
            String text = e != null && e.value() instanceof Scalar s && s.text() != null ? s.text().strip() : "";
            return text.isEmpty() ? null : text;
        }

        private String textAt(MapNode map, String key, String prefix) throws FieldException {
            Entry e = map.entries().get(key);
            if (e == null) {
                return null;
            }
            if (!(e.value() instanceof Scalar s)) {
                throw new FieldException(at(file, e.line(), prefix + key) + "expected a text, found "
                        + e.value().kind());
            }
            if (s.text() == null) {
                return null;
            }
            String value = substitute(s.text(), e.line(), prefix + key).strip();
            return value.isEmpty() ? null : value;
        }

        private boolean bool(MapNode map, String key, boolean absent) throws FieldException {
            return boolAt(map, key, absent, "");
        }

        private boolean boolAt(MapNode map, String key, boolean absent, String prefix) throws FieldException {
            Entry e = map.entries().get(key);
            if (e == null || (e.value() instanceof Scalar s && s.text() == null)) {
                return absent;
            }
            if (e.value() instanceof Scalar s) {
                if (s.bool() != null) {
                    return s.bool();
                }
                String v = substitute(s.text(), e.line(), prefix + key).strip();
                if (Set.of("true", "yes").contains(v.toLowerCase(java.util.Locale.ROOT))) {
                    return true;
                }
                if (Set.of("false", "no").contains(v.toLowerCase(java.util.Locale.ROOT))) {
                    return false;
                }
                throw new FieldException(at(file, e.line(), prefix + key) + "'" + v + "' is not a boolean:"
                        + " expected true or false");
            }
            throw new FieldException(at(file, e.line(), prefix + key) + "expected true or false, found "
                    + e.value().kind());
        }

        private String substitute(String value, int line, String field) throws FieldException {
            Matcher m = ENV.matcher(value);
            StringBuilder out = new StringBuilder(value.length());
            while (m.find()) {
                String v = environment.apply(m.group(1));
                if (v == null) {
                    v = m.group(2);
                }
                if (v == null && disabled) {
                    v = m.group();
                }
                if (v == null) {
                    throw new FieldException(at(file, line, field) + "environment variable " + m.group(1)
                            + " is not set: set it before starting CamRelay, or write ${env:" + m.group(1)
                            + ":default}");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(v));
            }
            m.appendTail(out);
            return out.toString();
        }
    }
}
