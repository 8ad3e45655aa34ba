package io.camrelay.alerts;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.camrelay.streams.DestinationStatus;
import io.camrelay.streams.StreamState;
import io.camrelay.streams.StreamStatus;
import io.camrelay.support.Durations;
import io.camrelay.support.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The body of one webhook POST (docs/design.md §14): {@code {stream, name, state, since, lastError, owner, text}}.
 * {@code text} is a one-line summary, so Slack and Teams incoming webhooks show it as it is; {@code lastError} and
 * {@code text} are masked (a destination's error quotes its URL).
 *
 * @param stream    the stream id
 * @param name      its display name
 * @param state     its state when the alert was made (STREAMING on recovery)
 * @param since     down alert: when it left STREAMING; recovery: since when it streams again; an episode ended by
 *                  the stream no longer being watched: when that happened
 * @param lastError why it is down (the stream's, its camera side's or a destination's last error), null otherwise
 * @param owner     the cluster node that streams it, null without a cluster
 * @param text      the summary
 */
@JsonPropertyOrder({"stream", "name", "state", "since", "lastError", "owner", "text"})
record Alert(String stream, String name, StreamState state, @JsonFormat(shape = JsonFormat.Shape.STRING) Instant since,
             String lastError, String owner, String text) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The alert for {@code due} about the stream whose status is now {@code status}. */
    static Alert of(AlertEpisodes.Due due, StreamStatus status) {
        String who = "stream '" + status.name() + "' (" + status.id() + ")"
                + (status.owner() == null ? "" : " on " + status.owner());
        String down = Durations.human(Duration.between(due.downSince(), due.since()));
        return switch (due.kind()) {
            case DOWN -> {
                String error = Secrets.maskUrlsIn(reason(status));
                yield new Alert(status.id(), status.name(), status.state(), due.since(), error, status.owner(),
                        Secrets.maskUrlsIn("CamRelay: " + who + " is down (" + status.state() + ") since "
                                + TIME.format(due.since()) + (error == null ? "" : ": " + error)));
            }
            case RECOVERED -> new Alert(status.id(), status.name(), status.state(), due.since(), null,
                    status.owner(), "CamRelay: " + who + " is STREAMING again since " + TIME.format(due.since())
                    + ", after " + down + " down");
            case ENDED -> new Alert(status.id(), status.name(), status.state(), due.since(), null, status.owner(),
                    "CamRelay: " + who + " is " + status.state() + " now, no longer down (down since "
                            + TIME.format(due.downSince()) + ")");
        };
    }

    /** Why a stream is down: its own last error, its camera side's, or the first troubled destination's. */
    private static String reason(StreamStatus s) {
        if (s.lastError() != null) {
            return s.lastError();
        }
        if (s.sourceLastError() != null) {
            return s.sourceLastError();
        }
        for (DestinationStatus d : s.destinations()) {
            if (d.state() != StreamState.STREAMING && d.lastError() != null) {
                return d.url() + ": " + d.lastError();
            }
        }
        return null;
    }
}
