package io.camrelay.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.camrelay.streams.GeoLocation;
import io.camrelay.streams.ScheduleSettings;
import io.camrelay.streams.ScheduleWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.shredzone.commons.suncalc.SunTimes;

/** The schedule's arithmetic against the wall clock of Copenhagen and against commons-suncalc itself. */
class ScheduleCalendarTest {

    private static final ZoneId CPH = ZoneId.of("Europe/Copenhagen");
    /** Brøndby, the SDK reference's example camera. */
    private static final GeoLocation COPENHAGEN = new GeoLocation(55.658, 12.377);
    /** Longyearbyen, Svalbard. */
    private static final GeoLocation SVALBARD = new GeoLocation(78.22, 15.65);

    private static ScheduleCalendar windows(String... windows) {
        return new ScheduleCalendar(new ScheduleSettings(CPH, Arrays.stream(windows).map(ScheduleWindow::parse)
                .toList(), false, null, Duration.ZERO), null);
    }

    private static ScheduleCalendar daylight(GeoLocation at, Duration margin, String... windows) {
        return new ScheduleCalendar(new ScheduleSettings(CPH, Arrays.stream(windows).map(ScheduleWindow::parse)
                .toList(), true, at, margin), at);
    }

    private static Instant cph(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(CPH).toInstant();
    }

    @Test
    void aWeekdayWindowOpensAtItsStartClosesAtItsEndAndAfterFridayOpensOnMonday() {
        ScheduleCalendar c = windows("Mon-Fri 07:00-19:00");
        ScheduleCalendar.Outlook before = c.at(cph("2026-12-07T06:59:59")); // a Monday
        assertThat(before.open()).isFalse();
        assertThat(before.nextStart()).isEqualTo(Instant.parse("2026-12-07T06:00:00Z"));
        assertThat(before.note()).isEqualTo("outside its schedule (Mon-Fri 07:00-19:00, Europe/Copenhagen); it starts"
                + " Mon 2026-12-07 07:00 CET");

        ScheduleCalendar.Outlook at = c.at(cph("2026-12-07T07:00:00"));
        assertThat(at.open()).isTrue();
        assertThat(at.nextChange()).isEqualTo(cph("2026-12-07T19:00:00"));
        assertThat(at.note()).isNull();

        ScheduleCalendar.Outlook friday = c.at(cph("2026-12-11T19:00:00"));
        assertThat(friday.open()).isFalse();
        assertThat(friday.nextStart()).isEqualTo(cph("2026-12-14T07:00:00"));
    }

    @Test
    void aWindowPastMidnightBelongsToTheDayItStartsAndTouchingWindowsAreOne() {
        ScheduleCalendar c = windows("Fri 22:00-02:00", "Sat 02:00-03:00");
        assertThat(c.at(cph("2026-12-12T01:30:00")).open()).as("Saturday 01:30").isTrue();
        assertThat(c.at(cph("2026-12-12T01:30:00")).nextChange()).isEqualTo(cph("2026-12-12T03:00:00"));
        assertThat(c.at(cph("2026-12-13T01:30:00")).open()).as("Sunday 01:30").isFalse();
        assertThat(windows("daily 00:00-24:00").at(cph("2026-12-12T12:00:00")).open()).isTrue();
    }

    @Test
    void acrossTheSpringChangeAWindowStartsAndEndsAtItsWallClockTimesAndIsAnHourShorter() {
        // 2026-03-29, a Sunday: at 02:00 CET the clocks go to 03:00 CEST
        ScheduleCalendar c = windows("Sun 01:00-04:00", "Sat-Mon 07:00-19:00");
        ScheduleInterval night = c.next(cph("2026-03-29T00:30:00"));
        assertThat(night.start()).isEqualTo(Instant.parse("2026-03-29T00:00:00Z")); // 01:00 CET
        assertThat(night.end()).isEqualTo(Instant.parse("2026-03-29T02:00:00Z")); // 04:00 CEST
        assertThat(Duration.between(night.start(), night.end())).isEqualTo(Duration.ofHours(2));
        assertThat(c.next(cph("2026-03-28T03:00:00")).start()).as("Saturday 07:00 CET")
                .isEqualTo(Instant.parse("2026-03-28T06:00:00Z"));
        assertThat(c.next(cph("2026-03-29T05:00:00")).start()).as("Sunday 07:00 CEST")
                .isEqualTo(Instant.parse("2026-03-29T05:00:00Z"));
        // a start the clocks skip is the moment they jump past it
        assertThat(windows("Sun 02:30-05:00").next(cph("2026-03-29T00:00:00")).start())
                .isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    }

    @Test
    void acrossTheAutumnChangeAWindowIsAnHourLongerAndATimeThatHappensTwiceIsItsFirstOccurrence() {
        // 2026-10-25, a Sunday: at 03:00 CEST the clocks go back to 02:00 CET
        ScheduleInterval night = windows("Sun 01:00-04:00").next(cph("2026-10-25T00:30:00"));
        assertThat(night.start()).isEqualTo(Instant.parse("2026-10-24T23:00:00Z")); // 01:00 CEST
        assertThat(night.end()).isEqualTo(Instant.parse("2026-10-25T03:00:00Z")); // 04:00 CET
        assertThat(Duration.between(night.start(), night.end())).isEqualTo(Duration.ofHours(4));
        ScheduleInterval twice = windows("Sun 02:30-03:30").next(Instant.parse("2026-10-24T22:00:00Z"));
        assertThat(twice.start()).isEqualTo(Instant.parse("2026-10-25T00:30:00Z")); // the first 02:30, CEST
        assertThat(twice.end()).isEqualTo(Instant.parse("2026-10-25T02:30:00Z")); // 03:30 CET
        ScheduleCalendar.Outlook monday = windows("Mon-Fri 07:00-19:00").at(cph("2026-10-24T12:00:00"));
        assertThat(monday.nextStart()).as("Monday 07:00 CET after the change")
                .isEqualTo(Instant.parse("2026-10-26T06:00:00Z"));
    }

    @Test
    void daylightAtAFixedPlaceAndDateIsTheLibrarysSunriseToSunsetWidenedByTheMargin() {
        LocalDate midsummer = LocalDate.of(2026, 6, 21);
        SunTimes sun = SunTimes.compute().on(midsummer).timezone(CPH).at(COPENHAGEN.latitude(),
                COPENHAGEN.longitude()).execute();
        Instant rise = sun.getRise().toInstant();
        Instant set = sun.getSet().toInstant();

        ScheduleInterval exact = daylight(COPENHAGEN, Duration.ZERO).next(midsummer.atStartOfDay(CPH).toInstant());
        assertThat(exact.start()).isCloseTo(rise, within(1, ChronoUnit.MINUTES));
        assertThat(exact.end()).isCloseTo(set, within(1, ChronoUnit.MINUTES));
        // and what an almanac says for Copenhagen that day: sunrise 04:25, sunset 21:57 (+- the 5 km to Brøndby)
        assertThat(exact.start()).isCloseTo(cph("2026-06-21T04:26:00"), within(3, ChronoUnit.MINUTES));
        assertThat(exact.end()).isCloseTo(cph("2026-06-21T21:58:00"), within(3, ChronoUnit.MINUTES));

        ScheduleCalendar widened = daylight(COPENHAGEN, Duration.ofMinutes(30));
        ScheduleCalendar.Outlook dawn = widened.at(rise.minus(Duration.ofMinutes(31)));
        assertThat(dawn.open()).isFalse();
        assertThat(dawn.nextStart()).isCloseTo(rise.minus(Duration.ofMinutes(30)), within(1, ChronoUnit.MINUTES));
        ScheduleCalendar.Outlook morning = widened.at(rise.minus(Duration.ofMinutes(29)));
        assertThat(morning.open()).isTrue();
        assertThat(morning.nextChange()).isCloseTo(set.plus(Duration.ofMinutes(30)), within(1, ChronoUnit.MINUTES));
    }

    @Test
    void inThePolarNightAt78NorthTheStreamIsScheduledUntilTheSunReturnsAndTheStatusSaysWhy() {
        Instant midwinter = Instant.parse("2026-12-21T12:00:00Z");
        SunTimes sun = SunTimes.compute().on(midwinter).utc().at(SVALBARD.latitude(), SVALBARD.longitude()).execute();
        assertThat(sun.getRise().toLocalDate()).as("the library's first sunrise").isEqualTo("2027-02-16");

        ScheduleCalendar.Outlook o = daylight(SVALBARD, Duration.ofMinutes(30)).at(midwinter);
        assertThat(o.open()).isFalse();
        assertThat(o.nextStart()).isCloseTo(sun.getRise().toInstant().minus(Duration.ofMinutes(30)),
                within(1, ChronoUnit.MINUTES));
        assertThat(o.note()).startsWith("polar night at 78.220,15.650: the sun does not rise until 2027-02-16; it"
                + " starts Tue 2027-02-16 ");
    }

    @Test
    void inThePolarDayTheStreamIsUpAroundTheClockUntilTheSunSetsAgainAndTheStatusSaysSo() {
        Instant midsummer = Instant.parse("2026-06-21T00:00:00Z");
        ScheduleCalendar.Outlook o = daylight(SVALBARD, Duration.ofMinutes(30)).at(midsummer);
        assertThat(o.open()).isTrue();
        assertThat(o.nextChange()).isAfter(Instant.parse("2026-08-20T00:00:00Z"));
        assertThat(o.note()).isEqualTo("polar day at 78.220,15.650: the sun does not set until 2026-08-25; the"
                + " daylight schedule keeps the stream up around the clock");
    }

    @Test
    void withWindowsAndDaylightTheStreamRunsWhenBothSaySo() {
        ScheduleCalendar c = daylight(COPENHAGEN, Duration.ZERO, "daily 07:00-09:00");
        // 2026-12-14: sunrise in Copenhagen about 08:35
        ScheduleCalendar.Outlook early = c.at(cph("2026-12-14T07:30:00"));
        assertThat(early.open()).as("in the window, before sunrise").isFalse();
        assertThat(early.nextStart()).isBetween(cph("2026-12-14T08:20:00"), cph("2026-12-14T08:50:00"));
        assertThat(early.note()).startsWith("outside its schedule (daily 07:00-09:00, Europe/Copenhagen; daylight at"
                + " 55.658,12.377 from 0 min before sunrise to as long after sunset); it starts Mon 2026-12-14 08:");
        ScheduleCalendar.Outlook late = c.at(cph("2026-12-14T08:55:00"));
        assertThat(late.open()).isTrue();
        assertThat(late.nextChange()).isEqualTo(cph("2026-12-14T09:00:00"));
        // a window always at night never starts
        ScheduleCalendar.Outlook never = daylight(COPENHAGEN, Duration.ZERO, "daily 01:00-02:00")
                .at(cph("2026-12-14T12:00:00"));
        assertThat(never.nextStart()).isNull();
        assertThat(never.note()).endsWith("; it does not start within a year");
    }
}
