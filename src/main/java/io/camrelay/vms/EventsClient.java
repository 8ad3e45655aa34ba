package io.camrelay.vms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells XProtect about stream problems through the Events and Alarms REST APIs (docs/protocols.md §5):
 * a user-defined event "CamRelay stream error" (looked up, created once if the user may), or an alarm on the camera
 * when no event type can be had. Obtained from {@link VmsSession#events()}. Callers mask stream keys in messages.
 */
public final class EventsClient {

    private static final Logger LOG = LoggerFactory.getLogger(EventsClient.class);

    /** Name of the user-defined event CamRelay triggers on stream errors. */
    public static final String STREAM_ERROR_EVENT = "CamRelay stream error";
    /** Event/alarm replies are small. */
    static final int MAX_REPLY_BYTES = 1024 * 1024;
    /** Longest alarm message sent. */
    static final int MAX_MESSAGE_CHARS = 1000;

    private final RestCalls rest;
    private final ObjectMapper json;
    private final Object lock = new Object();
    // guarded by lock: the event type's id once known; whether creating it was refused (then alarms are used)
    private String streamErrorEventId;
    private boolean eventTypeUnavailable;

    EventsClient(VmsHttp http, String baseUrl, AccessTokens tokens, ObjectMapper json) {
        this.rest = new RestCalls(http, baseUrl, tokens, json);
        this.json = json;
    }

    /** The id of the user-defined event named {@code name}, if it exists. */
    public Optional<String> userDefinedEventId(String name) {
        JsonNode body = rest.require("GET", "/userDefinedEvents",
                rest.get("/userDefinedEvents", ConfigRestClient.MAX_COLLECTION_BYTES));
        for (JsonNode e : body.path("array")) {
            if (name.equals(e.path("name").asText()) || name.equals(e.path("displayName").asText())) {
                return Optional.of(e.path("id").asText());
            }
        }
        return Optional.empty();
    }

    /**
     * The id of the user-defined event {@code name}, created when missing ({@code POST /userDefinedEvents}).
     *
     * @throws XProtectApiException when it is missing and the user may not create it
     */
    public String ensureUserDefinedEvent(String name) {
        Optional<String> existing = userDefinedEventId(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        ObjectNode body = json.createObjectNode().put("name", name);
        JsonNode created = rest.require("POST", "/userDefinedEvents",
                rest.post("/userDefinedEvents", body, MAX_REPLY_BYTES));
        String id = created.path("result").path("id").asText(created.path("data").path("id").asText(""));
        if (id.isEmpty()) {
            throw new XProtectApiException("XProtect created the user-defined event '" + name + "' but returned no"
                    + " result.id", 201);
        }
        LOG.info("created the XProtect user-defined event '{}' ({})", name, id);
        return id;
    }

    /** Triggers the event type {@code eventTypeId} ({@code POST /events}, 202). */
    public void triggerEvent(String eventTypeId) {
        ObjectNode body = json.createObjectNode().put("type", eventTypeId);
        rest.require("POST", "/events", rest.post("/events", body, MAX_REPLY_BYTES));
    }

    /** Raises an alarm on {@code sourceId} (a camera id); returns the alarm id ({@code POST /alarms}, 202). */
    public String raiseAlarm(String name, String message, String sourceId) {
        String text = message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message;
        ObjectNode body = json.createObjectNode().put("name", name).put("message", text).put("source", sourceId);
        JsonNode answer = rest.require("POST", "/alarms", rest.post("/alarms", body, MAX_REPLY_BYTES));
        return answer.path("data").path("id").asText("");
    }

    /**
     * Reports a stream error on {@code cameraId}: triggers the user-defined event {@value #STREAM_ERROR_EVENT}
     * (created on first use), or, when the user may not create it, raises an alarm carrying {@code message}.
     * {@code message} must already be free of secrets.
     */
    public void reportStreamError(String cameraId, String message) {
        String eventId = streamErrorEvent();
        if (eventId != null) {
            triggerEvent(eventId);
        } else {
            raiseAlarm(STREAM_ERROR_EVENT, message, cameraId);
        }
    }

    private String streamErrorEvent() {
        synchronized (lock) {
            if (streamErrorEventId == null && !eventTypeUnavailable) {
                try {
                    streamErrorEventId = ensureUserDefinedEvent(STREAM_ERROR_EVENT);
                } catch (XProtectApiException e) {
                    if (e.status() != 401 && e.status() != 403 && e.status() != 404 && e.status() != 405) {
                        throw e;
                    }
                    eventTypeUnavailable = true;
                    LOG.warn("cannot use the XProtect user-defined event '{}' ({}); stream errors are raised as"
                            + " alarms instead; an administrator can create the event to switch to events",
                            STREAM_ERROR_EVENT, e.getMessage());
                }
            }
            return streamErrorEventId;
        }
    }
}
