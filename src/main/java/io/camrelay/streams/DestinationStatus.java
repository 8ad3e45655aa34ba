package io.camrelay.streams;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One destination in the status JSON (docs/design.md §6); {@code url} is masked.
 *
 * @param url           destination URL with the key masked
 * @param state         the destination's state
 * @param framesSent    video frames written
 * @param bytesSent     bytes written
 * @param droppedFrames frames dropped by the send queue
 * @param reconnects    republish attempts after a loss
 * @param lastError     the last error, masked, or {@code null}
 * @param publishes     publishes the server accepted (files started) since CamRelay started; a hold keeps it at 1
 * @param holdingSince  since when the destination holds (camera side lost), or {@code null}
 */
@JsonPropertyOrder({"url", "state", "framesSent", "bytesSent", "droppedFrames", "reconnects", "lastError",
        "publishes", "holdingSince"})
public record DestinationStatus(String url, StreamState state, long framesSent, long bytesSent, long droppedFrames,
                                long reconnects, String lastError, long publishes,
                                @JsonFormat(shape = JsonFormat.Shape.STRING) Instant holdingSince) {
}
