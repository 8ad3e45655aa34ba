package io.camrelay.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.streams.StreamState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When an alert is due: one per episode, HOLDING is down, a flapping stream is one episode. */
class AlertEpisodesTest {

    private static final Duration AFTER = Duration.ofMinutes(2);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final AlertEpisodes episodes = new AlertEpisodes(AFTER);
    private final List<AlertEpisodes.Due> sent = new ArrayList<>();

    private void state(StreamState s, long atSeconds) {
        Instant at = T0.plusSeconds(atSeconds);
        sent.addAll(episodes.onTick(at)); // time passed up to the change first, as the alerts thread's timer does
        sent.addAll(episodes.onState("lobby", s, at));
    }

    private void tick(long atSeconds) {
        sent.addAll(episodes.onTick(T0.plusSeconds(atSeconds)));
    }

    private List<AlertEpisodes.Kind> kinds() {
        return sent.stream().map(AlertEpisodes.Due::kind).toList();
    }

    @Test
    void aStreamDownForAfterIsAlertedOnceAndItsRecoveryOnceItHasStreamedForAfterAgain() {
        state(StreamState.STREAMING, 0);
        state(StreamState.RECONNECTING, 10);
        tick(129);
        assertThat(sent).as("not yet: down 119 s").isEmpty();
        assertThat(episodes.nextDeadline()).contains(T0.plusSeconds(130));
        tick(130);
        assertThat(sent).containsExactly(new AlertEpisodes.Due("lobby", AlertEpisodes.Kind.DOWN, T0.plusSeconds(10),
                T0.plusSeconds(10)));
        tick(600);
        state(StreamState.STREAMING, 700);
        tick(819);
        assertThat(kinds()).containsExactly(AlertEpisodes.Kind.DOWN);
        tick(820);
        assertThat(sent.get(1)).isEqualTo(new AlertEpisodes.Due("lobby", AlertEpisodes.Kind.RECOVERED,
                T0.plusSeconds(700), T0.plusSeconds(10)));
        assertThat(episodes.streams()).isEmpty();
    }

    @Test
    void holdingCountsAsDown() {
        state(StreamState.STREAMING, 0);
        state(StreamState.HOLDING, 5);
        tick(125);
        assertThat(kinds()).containsExactly(AlertEpisodes.Kind.DOWN);
    }

    @Test
    void aStreamFlappingEveryTenSecondsIsOneEpisodeWithOneAlertAndOneRecovery() {
        state(StreamState.STREAMING, 0);
        for (long t = 10; t < 600; t += 20) {
            state(StreamState.RECONNECTING, t);
            tick(t + 5);
            state(StreamState.STREAMING, t + 10);
        }
        assertThat(kinds()).as("ten minutes of flapping").containsExactly(AlertEpisodes.Kind.DOWN);
        assertThat(sent.get(0).since()).as("down since the first loss").isEqualTo(T0.plusSeconds(10));
        tick(600 + 120);
        assertThat(kinds()).containsExactly(AlertEpisodes.Kind.DOWN, AlertEpisodes.Kind.RECOVERED);
    }

    @Test
    void aBlipShorterThanAfterIsNeverAlerted() {
        state(StreamState.STREAMING, 0);
        state(StreamState.HOLDING, 10);
        state(StreamState.STREAMING, 70);
        tick(70 + 120);
        tick(3600);
        assertThat(sent).isEmpty();
        assertThat(episodes.streams()).isEmpty();
    }

    @Test
    void aScheduledStreamIsNotDownAndEndsAnAlertedEpisodeButNotAPendingOne() {
        state(StreamState.STREAMING, 0);
        state(StreamState.ERROR, 10);
        state(StreamState.SCHEDULED, 60); // the window closed while it was failing: no one needs telling
        tick(3600);
        assertThat(sent).isEmpty();

        state(StreamState.ERROR, 4000);
        tick(4120);
        state(StreamState.SCHEDULED, 5000);
        assertThat(kinds()).containsExactly(AlertEpisodes.Kind.DOWN, AlertEpisodes.Kind.ENDED);
        tick(9000);
        assertThat(sent).hasSize(2);
    }

    @Test
    void standbyDisabledAndStoppedAreNotWatched() {
        for (StreamState s : List.of(StreamState.STANDBY, StreamState.DISABLED, StreamState.STOPPED,
                StreamState.SCHEDULED)) {
            assertThat(AlertEpisodes.watched(s)).as(s.name()).isFalse();
        }
        assertThat(AlertEpisodes.watched(StreamState.HOLDING)).isTrue();
        assertThat(AlertEpisodes.watched(StreamState.STARTING)).isTrue();
    }
}
