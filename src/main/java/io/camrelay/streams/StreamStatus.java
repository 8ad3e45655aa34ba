package io.camrelay.streams;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one stream, serialized field by field as the status contract (docs/design.md §6). Absent
 * measurements (no frame yet) are {@code null}.
 *
 * @param id                 stream id
 * @param name               display name
 * @param cameraId           resolved camera id, or {@code null}
 * @param cameraName         camera name, or {@code null}
 * @param state              the stream's state: the worst of its own and its destinations'
 * @param since              when {@code state} began (UTC, seconds)
 * @param source             file or xprotect
 * @param codec              video codec name (H264, H265) or {@code null}
 * @param width              picture width or {@code null}
 * @param height             picture height or {@code null}
 * @param fps                frames per second over the last seconds, or {@code null}
 * @param bitrateKbps        video bit rate over the last seconds, or {@code null}
 * @param keyframeIntervalMs the last key-frame interval (camera time), or {@code null}
 * @param framesIn           frames received from the camera
 * @param restarts           route restarts after errors
 * @param lastError          the last error (what and how to fix it), masked, or {@code null}
 * @param destinations       per destination
 * @param warnings           things the operator should fix although the stream runs
 * @param sourceReconnects   ImageServer sessions re-established inside the consumer, without a route restart
 * @param sourceLastError    why the camera side was last lost (masked), or {@code null}
 * @param holdingSince       since when the destinations hold (camera side lost), or {@code null}
 * @param skippedPictures    pictures skipped as unreadable or not video (docs/design.md §7a)
 * @param nextStart          when a SCHEDULED stream starts, or {@code null}
 * @param owner              the cluster node that streams it, or {@code null} without a cluster
 */
@JsonPropertyOrder({"id", "name", "cameraId", "cameraName", "state", "since", "source", "codec", "width", "height",
        "fps", "bitrateKbps", "keyframeIntervalMs", "framesIn", "restarts", "lastError", "destinations", "warnings",
        "sourceReconnects", "sourceLastError", "holdingSince", "skippedPictures", "nextStart", "owner"})
public record StreamStatus(String id, String name, String cameraId, String cameraName, StreamState state,
                           @JsonFormat(shape = JsonFormat.Shape.STRING) Instant since, StreamSource source,
                           String codec, Integer width, Integer height, Double fps, Long bitrateKbps,
                           Long keyframeIntervalMs, long framesIn, long restarts, String lastError,
                           List<DestinationStatus> destinations, List<String> warnings, long sourceReconnects,
                           String sourceLastError, @JsonFormat(shape = JsonFormat.Shape.STRING) Instant holdingSince,
                           long skippedPictures, @JsonFormat(shape = JsonFormat.Shape.STRING) Instant nextStart,
                           String owner) {

    public StreamStatus {
        destinations = List.copyOf(destinations);
        warnings = List.copyOf(warnings);
    }
}
