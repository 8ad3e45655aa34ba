package io.camrelay.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordedSpanTest {

    private static final Instant T = Instant.parse("2026-11-21T14:00:00Z");

    private static RecordedSpan span(long fromS, long toS) {
        return new RecordedSpan(T.plusSeconds(fromS), T.plusSeconds(toS));
    }

    @Test
    void touchingAndOverlappingSequencesAreOneSpanInAnyOrder() {
        List<RecordedSpan> merged = RecordedSpan.merge(List.of(span(600, 1200), span(0, 600), span(1100, 1500),
                span(1800, 2400)), T.minusSeconds(3600), T.plusSeconds(3600));

        assertThat(merged).containsExactly(span(0, 1500), span(1800, 2400));
    }

    @Test
    void sequencesLessThanASecondApartAreOneSpanButALongerGapStays() {
        List<RecordedSpan> merged = RecordedSpan.merge(List.of(new RecordedSpan(T, T.plusMillis(999)),
                new RecordedSpan(T.plusMillis(1500), T.plusSeconds(10)), span(12, 20)), T, T.plusSeconds(60));

        assertThat(merged).containsExactly(span(0, 10), span(12, 20));
    }

    @Test
    void wholeSequencesOverlappingTheWindowAreCutToIt() {
        List<RecordedSpan> merged = RecordedSpan.merge(List.of(span(0, 600), span(900, 1000)), T.plusSeconds(300),
                T.plusSeconds(950));

        assertThat(merged).containsExactly(span(300, 600), span(900, 950));
    }
}
