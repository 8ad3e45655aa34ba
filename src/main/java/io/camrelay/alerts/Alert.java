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
 * The body of one webhook POST (docs/design.md §14): {@code {stream, name, state, since, lastError, owner, node,
 * text}}. {@code text} is a one-line summary, so Slack and Teams incoming webhooks show it as it is; {@code lastError}
 * and {@code text} are masked (a destination's error quotes its URL). A node alert (a cluster node that sees no owner
 * for any stream) has {@code stream}, {@code name}, {@code state} and {@code owner} null.
 *
 * @param stream    the stream id
 * @param name      its display name
 * @param state     its state when the alert was made (STREAMING on recovery)
 * @param since     down alert: when it left STREAMING; recovery: since when it streams again; an episode ended by
 *                  the stream no longer being watched: when that happened
 * @param lastError why it is down (the stream's, its camera side's or a destination's last error), null otherwise
 * @param owner     the cluster node that streams it, null without a cluster
 * @param node      the cluster node that sent the alert, null without a cluster
 * @param text      the summary
 */
@JsonPropertyOrder({"stream", "name", "state", "since", "lastError", "owner", "node", "text"})
record Alert(String stream, String name, StreamState state, @JsonFormat(shape = JsonFormat.Shape.STRING) Instant since,
             String lastError, String owner, String node, String text) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The alert for {@code due} about the stream whose status is now {@code status}, sent by cluster node {@code node}. */
    static Alert of(AlertEpisodes.Due due, StreamStatus status, String node) {
        String who = "stream '" + status.name() + "' (" + status.id() + ")"
                + (status.owner() == null ? "" : " on " + status.owner());
        String down = Durations.human(Duration.between(due.downSince(), due.since()));
        return switch (due.kind()) {
            case DOWN -> {
                String error = Secrets.maskUrlsIn(reason(status));
                yield new Alert(status.id(), status.name(), status.state(), due.since(), error, status.owner(),
                        node, Secrets.maskUrlsIn("CamRelay: " + who + " is down (" + status.state() + ") since "
                                + TIME.format(due.since()) + (error == null ? "" : ": " + error)));
            }
            case RECOVERED -> new Alert(status.id(), status.name(), status.state(), due.since(), null,
                    status.owner(), node, "CamRelay: " + who + " is STREAMING again since " + TIME.format(due.since())
                    + ", after " + down + " down");
            case ENDED -> new Alert(status.id(), status.name(), status.state(), due.since(), null, status.owner(),
                    node, "CamRelay: " + who + " is " + status.state() + " now, no longer down (down since "
                            + TIME.format(due.downSince()) + ")");
        };
    }

    /**
     * The alert for {@code due} about cluster node {@code node} itself: it has seen no owner for any stream since
     * {@code due.downSince()} (it cannot reach {@code cluster}, or no node can), {@code waiting} of its streams
     * waiting for one now; or, recovered, it sees owners again.
     */
    static Alert ofNode(AlertEpisodes.Due due, String node, String cluster, int waiting) {
        return switch (due.kind()) {
            case DOWN -> {
                String error = "node " + node + " sees no owner for any stream: it cannot reach the cluster (" + cluster
                        + "), or no node can";
                yield new Alert(null, null, null, due.since(), error, null, node, "CamRelay: " + error + " since "
                        + TIME.format(due.since()) + "; " + waiting + " stream(s) STANDBY, published by no node it"
                        + " can see");
            }
            case RECOVERED, ENDED -> new Alert(null, null, null, due.since(), null, null, node, "CamRelay: node "
                    + node + " sees the cluster (" + cluster + ") again since " + TIME.format(due.since())
                    + ", after " + Durations.human(Duration.between(due.downSince(), due.since())) + " without");
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
