package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsFileLoaderTest {

    private static final String FILE = "config/streams.yaml";
    private final StreamsFileLoader loader = new StreamsFileLoader(TestDestinationTypes.standard(), Map.of("YT_KEY", "yt-secret-key")::get);

    private DefinitionSet parse(String yaml) {
        return loader.parse(yaml, FILE);
    }

    private StreamProblem onlyProblem(String yaml) {
        DefinitionSet set = parse(yaml);
        assertThat(set.problems()).hasSize(1);
        return set.problems().get(0);
    }

    @Test
    void readsTheArchitectureExample() {
        DefinitionSet set = parse("""
                streams:
                  - id: lobby
                    name: Lobby to YouTube
                    camera: 638bc8f1-cf28-4329-b8e6-5bba37bdb48f
                    cameraStream: null
                    enabled: true
                    destinations:
                      - url: rtmps://a.rtmps.youtube.com/live2/${env:YT_KEY}
                        allowUntrustedCertificates: false
                      - url: output/lobby.flv
                """);
        assertThat(set.problems()).isEmpty();
        assertThat(set.streams()).containsExactly(new StreamDefinition("lobby", "Lobby to YouTube",
                "638bc8f1-cf28-4329-b8e6-5bba37bdb48f", null, true,
                List.of(new Destination("rtmps://a.rtmps.youtube.com/live2/yt-secret-key", false),
                        new Destination("output/lobby.flv", false)), StreamSource.FILE));
    }

    @Test
    void readsASingleUrlWithItsCertificateChoiceAndDerivesTheIdFromTheName() {
        StreamDefinition d = parse("""
                streams:
                  - name: Parking Lot → nginx
                    camera: Parking Lot
                    url: rtmps://nginx.local/live/cam
                    allowUntrustedCertificates: true
                """).streams().get(0);
        assertThat(d.id()).isEqualTo("parking-lot-nginx");
        assertThat(d.enabled()).isTrue();
        assertThat(d.destinations()).containsExactly(new Destination("rtmps://nginx.local/live/cam", true));
    }

    @Test
    void substitutesTheDefaultOfAMissingVariable() {
        StreamDefinition d = parse("""
                streams:
                  - name: a
                    camera: c
                    url: rtmp://h/live/${env:NOPE:fallback}
                """).streams().get(0);
        assertThat(d.destinations().get(0).url()).isEqualTo("rtmp://h/live/fallback");
    }

    @Test
    void aMissingVariableNamesTheVariableTheLineAndTheField() {
        StreamProblem p = onlyProblem("""
                streams:
                  - name: Twitch
                    camera: c
                    destinations:
                      - url: rtmp://live.twitch.tv/app/${env:TWITCH_KEY}
                """);
        assertThat(p.id()).isEqualTo("twitch");
        assertThat(p.reason()).startsWith("config/streams.yaml line 5, field 'destinations[0].url': ")
                .contains("environment variable TWITCH_KEY is not set");
    }

    @Test
    void aDisabledStreamMayReferToAnUnsetVariable() {
        StreamDefinition d = parse("""
                streams:
                  - name: Twitch
                    camera: c
                    enabled: false
                    url: rtmp://live.twitch.tv/app/${env:TWITCH_KEY}
                """).streams().get(0);
        assertThat(d.enabled()).isFalse();
        assertThat(d.destinations().get(0).url()).isEqualTo("rtmp://live.twitch.tv/app/${env:TWITCH_KEY}");
    }

    @Test
    void aBadUrlNamesFileLineAndFieldAndMasksTheKey() {
        StreamProblem p = onlyProblem("""
                streams:
                  - id: lobby
                    name: Lobby
                    camera: c
                    enabled: true
                    destinations:
                      - url: rtmpx://a.rtmps.youtube.com/live2/${env:YT_KEY}
                """);
        assertThat(p.reason()).isEqualTo("config/streams.yaml line 7, field 'destinations[0].url': "
                + "'rtmpx://a.rtmps.youtube.com/live2/****' is not an rtmp://, rtmps:// URL or a .flv file path");
    }

    @Test
    void anUnknownKeyNamesTheKeyAndListsTheValidOnes() {
        StreamProblem p = onlyProblem("""
                streams:
                  - name: a
                    camera: c
                    destination: rtmp://h/live/k
                """);
        assertThat(p.reason()).isEqualTo("config/streams.yaml line 4, field 'destination': unknown key 'destination':"
                + " expected one of id, name, camera, cameraStream, enabled, destinations, url,"
                + " allowUntrustedCertificates, maxSize, maxDuration, hold, rotate, schedule, alerts");
    }

    @Test
    void anUnknownDestinationKeyIsNamedWithItsIndex() {
        StreamProblem p = onlyProblem("""
                streams:
                  - name: a
                    camera: c
                    destinations:
                      - url: out.flv
                        allowUntrustedCerts: true
                """);
        assertThat(p.reason()).startsWith("config/streams.yaml line 6, field 'destinations[0].allowUntrustedCerts': "
                + "unknown key 'allowUntrustedCerts': expected one of url, allowUntrustedCertificates, maxSize,"
                + " maxDuration");
    }

    @Test
    void aWrongBooleanNamesTheValue() {
        StreamProblem p = onlyProblem("""
                streams:
                  - name: a
                    camera: c
                    enabled: maybe
                    url: out.flv
                """);
        assertThat(p.reason()).isEqualTo("config/streams.yaml line 4, field 'enabled': 'maybe' is not a boolean:"
                + " expected true or false");
    }

    @Test
    void aMissingCameraOrDestinationIsReported() {
        assertThat(onlyProblem("streams:\n  - name: a\n    url: out.flv\n").reason())
                .startsWith("config/streams.yaml line 2, field 'streams[0]': the stream 'a' has no 'camera'");
        assertThat(onlyProblem("streams:\n  - name: a\n    camera: c\n").reason())
                .contains("has no destination");
        assertThat(onlyProblem("streams:\n  - name: a\n    camera: c\n    url: x.flv\n    destinations: []\n")
                .reason()).contains("field 'url'").contains("not both");
    }

    @Test
    void oneBrokenStreamDoesNotHideTheOthers() {
        DefinitionSet set = parse("""
                streams:
                  - name: good
                    camera: c
                    url: out.flv
                  - name: bad
                    camera: c
                    url: http://example/x
                """);
        assertThat(set.streams()).extracting(StreamDefinition::id).containsExactly("good");
        assertThat(set.problems()).extracting(StreamProblem::id).containsExactly("bad");
    }

    @Test
    void duplicateIdsBreakTheFileNamingBothLines() {
        assertThatThrownBy(() -> parse("""
                streams:
                  - name: Lobby
                    camera: c
                    url: a.flv
                  - id: lobby
                    name: Other
                    camera: c
                    url: b.flv
                """)).isInstanceOf(StreamsFileException.class)
                .hasMessage("config/streams.yaml line 5, field 'streams[1]': duplicate stream id 'lobby' (first"
                        + " defined on line 2): give one of them another 'id:' or name");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertThatThrownBy(() -> parse("streams:\n  - name: a\n   camera: [oops\n"))
                .isInstanceOf(StreamsFileException.class)
                .hasMessageStartingWith("config/streams.yaml line 3: not valid YAML");
    }

    @Test
    void aTopLevelTypoIsAFileError() {
        assertThatThrownBy(() -> parse("stream:\n  - name: a\n"))
                .hasMessage("config/streams.yaml line 1, field 'stream': unknown key 'stream': the file has one"
                        + " top-level key, 'streams'");
    }

    @Test
    void anInvalidExplicitIdIsAFileError() {
        assertThatThrownBy(() -> parse("streams:\n  - id: Lobby_1\n    camera: c\n    url: a.flv\n"))
                .hasMessageStartingWith("config/streams.yaml line 2, field 'id': 'Lobby_1' is not a valid id");
    }

    @Test
    void anEmptyFileOrEmptyListDefinesNoStreams() {
        assertThat(parse("").streams()).isEmpty();
        assertThat(parse("streams:\n").streams()).isEmpty();
        assertThat(parse("streams: []\n").streams()).isEmpty();
    }

    @Test
    void anIdDerivedFromANameWithAVariableHoldsTheVariableNotItsValue() {
        // Given a name that refers to the key's variable (pasted from the url, say) and no id
        DefinitionSet set = parse("streams:\n  - name: live2/${env:YT_KEY}\n    url: a.flv\n");

        // Then the derived id, and the message about the missing camera, show the variable's name only
        assertThat(set.problems()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo("live2-env-yt-key");
            assertThat(p.reason()).contains("'live2-env-yt-key'").doesNotContain("yt-secret-key");
        });
    }

    @Test
    void aMissingFileTellsHowToFixIt(@TempDir Path dir) {
        assertThatThrownBy(() -> loader.load(dir.resolve("streams.yaml")))
                .isInstanceOf(StreamsFileException.class).hasMessageContaining("does not exist")
                .hasMessageContaining("camrelay.streams.file");
    }

    @Test
    void refusesAFileTooLargeToBeAStreamsFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("streams.yaml");
        Files.write(file, new byte[(int) StreamsFileLoader.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> loader.load(file)).isInstanceOf(StreamsFileException.class)
                .hasMessageContaining("more than a streams file can be");
    }

    @Test
    void refusesAFifoNamedAsTheStreamsFileInsteadOfWaitingOnIt(@TempDir Path dir) throws Exception {
        // Given camrelay.streams.file naming a FIFO that nobody writes to
        Path fifo = dir.resolve("streams.yaml");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        try {
            // Then loading it fails at once, naming what it is, instead of blocking the poller forever
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> loader.load(fifo))
                    .isInstanceOf(StreamsFileException.class)
                    .hasMessage(fifo + " is not a regular file (a FIFO, device or directory?): set "
                            + "camrelay.streams.file to the streams file"));
        } finally {
            releaseReaderOf(fifo);
        }
    }

    @Test
    void refusesADeviceNamedAsTheStreamsFile(@TempDir Path dir) throws Exception {
        // Given a link to /dev/zero, whose size is 0 and whose content never ends
        Path link = Files.createSymbolicLink(dir.resolve("streams.yaml"), Path.of("/dev/zero"));
        assumeTrue(Files.exists(link), "/dev/zero");

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> loader.load(link))
                .isInstanceOf(StreamsFileException.class).hasMessageContaining("is not a regular file"));
    }

    /** Opens the FIFO for writing and closes it, on a thread of its own, so that a reader stuck on it sees EOF. */
    private static void releaseReaderOf(Path fifo) {
        Thread t = new Thread(() -> {
            try {
                Files.newOutputStream(fifo).close();
            } catch (java.io.IOException e) {
                // nobody was reading
            }
        }, "release-fifo");
        t.setDaemon(true);
        t.start();
    }

    @Test
    void loadsAFileFromDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("streams.yaml");
        Files.writeString(file, "streams:\n  - name: a\n    camera: c\n    url: a.flv\n");
        assertThat(loader.load(file).streams()).hasSize(1);
    }

    @Test
    void theShippedExampleLoadsWithoutProblems() {
        DefinitionSet set = new StreamsFileLoader(TestDestinationTypes.standard(), name -> null).load(Path.of("config/streams.yaml"));
        assertThat(set.problems()).isEmpty();
        assertThat(set.streams()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(set.streams()).filteredOn(StreamDefinition::enabled)
                .allSatisfy(d -> assertThat(d.destinations()).allMatch(Destination::isFile));
    }

    @Test
    void readsHoldRotateAndTheFileLimitsOfADestination() {
        StreamDefinition d = parse("""
                streams:
                  - id: lobby
                    name: Lobby
                    camera: Lobby
                    hold:
                      mode: freeze
                      maxDuration: 5m
                    rotate: 11h
                    destinations:
                      - url: rtmp://h/live/k
                      - url: output/lobby.flv
                        maxSize: 2GB
                        maxDuration: 1h
                """).streams().get(0);
        assertThat(d.hold()).isEqualTo(new HoldSettings(HoldMode.FREEZE, null, java.time.Duration.ofMinutes(5)));
        assertThat(d.rotate()).isEqualTo(java.time.Duration.ofHours(11));
        assertThat(d.destinations().get(1)).isEqualTo(new Destination("output/lobby.flv", false, 2_000_000_000L,
                java.time.Duration.ofHours(1)));
    }

    @Test
    void withoutHoldAStreamFreezesForTenMinutesAndNeverRotates() {
        StreamDefinition d = parse("""
                streams:
                  - name: Lobby
                    camera: Lobby
                    url: rtmp://h/live/k
                """).streams().get(0);
        assertThat(d.hold()).isEqualTo(HoldSettings.DEFAULT);
        assertThat(d.hold().maxDuration()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(d.rotate()).isNull();
    }

    @Test
    void readsABareOffAsOffWhetherYamlTakesItForAWordOrAFalse() {
        StreamDefinition d = parse("""
                streams:
                  - name: Lobby
                    camera: Lobby
                    url: rtmp://h/live/k
                    hold:
                      mode: off
                    rotate: off
                """).streams().get(0);
        assertThat(d.hold().mode()).isEqualTo(HoldMode.OFF);
        assertThat(d.rotate()).isNull();
    }

    @Test
    void aWrongHoldModeNamesTheFieldAndTheModes() {
        StreamProblem p = onlyProblem("""
                streams:
                  - name: Lobby
                    camera: Lobby
                    url: rtmp://h/live/k
                    hold:
                      mode: black
                """);
        assertThat(p.reason()).isEqualTo("config/streams.yaml line 6, field 'hold.mode': 'black' is not a hold mode:"
                + " expected freeze (the last key frame), slate (hold.slate) or off");
    }

    @Test
    void aSlateModeWithoutASlateOrWithAMissingFileIsAProblemOfThatField(@TempDir Path dir) {
        assertThat(onlyProblem("""
                streams:
                  - name: Lobby
                    camera: Lobby
                    url: rtmp://h/live/k
                    hold:
                      mode: slate
                """).reason()).startsWith("config/streams.yaml line 6, field 'hold.mode': hold.mode slate needs"
                + " hold.slate");
        assertThat(onlyProblem("""
                streams:
                  - name: Lobby
                    camera: Lobby
                    url: rtmp://h/live/k
                    hold:
                      mode: slate
                      slate: %s
                """.formatted(dir.resolve("offline.h264"))).reason())
                .startsWith("config/streams.yaml line 7, field 'hold.slate': the slate " + dir.resolve("offline.h264")
                        + " cannot be read");
    }

    @Test
    void durationsAndSizesUseTheOneSyntaxAndNameTheField() {
        assertThat(onlyProblem("""
                streams:
                  - name: Lobby
                    camera: Lobby
                    url: rtmp://h/live/k
                    rotate: 5s
                """).reason()).isEqualTo("config/streams.yaml line 5, field 'rotate': 'rotate' is '5s': expected at"
                + " least 10s");
        assertThat(onlyProblem("""
                streams:
                  - name: Lobby
                    camera: Lobby
                    url: output/l.flv
                    maxSize: lots
                """).reason()).startsWith("config/streams.yaml line 5, field 'maxSize': 'lots' is not a size");
        assertThat(onlyProblem("""
                streams:
                  - name: Lobby
                    camera: Lobby
                    hold:
                      maxDuration: soon
                    url: rtmp://h/live/k
                """).reason()).startsWith("config/streams.yaml line 5, field 'hold.maxDuration': 'hold.maxDuration'"
                + " is 'soon': expected a duration");
    }

    @Test
    void fileLimitsOnAnRtmpDestinationPointToRotate() {
        assertThat(onlyProblem("""
                streams:
                  - name: Lobby
                    camera: Lobby
                    destinations:
                      - url: rtmp://h/live/k
                        maxDuration: 1h
                """).reason()).isEqualTo("config/streams.yaml line 6, field 'destinations[0].maxDuration':"
                + " maxDuration applies to file destinations (.flv) only: a publish is rotated with the stream's"
                + " 'rotate'");
    }

    @Test
    void readsAScheduleOfWindowsAndDaylightAndAStreamWithoutAlerts() {
        StreamDefinition d = parse("""
                streams:
                  - name: Lobby
                    camera: Lobby
                    url: rtmp://h/live/k
                    alerts: false
                    schedule:
                      timezone: Europe/Copenhagen
                      windows: ["Mon-Fri 07:00-19:00", "Sat,Sun 09:00-13:00", "Fri 22:00-02:00"]
                      daylight: true
                      location: "55.658,12.377"
                      daylightMargin: 45m
                """).streams().get(0);
        ScheduleSettings s = d.schedule();
        assertThat(d.alerts()).isFalse();
        assertThat(s.timezone()).isEqualTo(java.time.ZoneId.of("Europe/Copenhagen"));
        assertThat(s.windows()).extracting(ScheduleWindow::text).containsExactly("Mon-Fri 07:00-19:00",
                "Sat,Sun 09:00-13:00", "Fri 22:00-02:00");
        assertThat(s.windows().get(0).days()).containsExactlyInAnyOrder(java.time.DayOfWeek.MONDAY,
                java.time.DayOfWeek.TUESDAY, java.time.DayOfWeek.WEDNESDAY, java.time.DayOfWeek.THURSDAY,
                java.time.DayOfWeek.FRIDAY);
        assertThat(s.windows().get(2).endsNextDay()).isTrue();
        assertThat(s.daylight()).isTrue();
        assertThat(s.location()).isEqualTo(new GeoLocation(55.658, 12.377));
        assertThat(s.daylightMargin()).isEqualTo(java.time.Duration.ofMinutes(45));
    }

    @Test
    void aStreamWithoutScheduleRunsAlwaysAndAlertsAndADaylightScheduleDefaultsItsMarginAndZone() {
        assertThat(parse("streams:\n  - name: a\n    camera: c\n    url: rtmp://h/live/k\n").streams().get(0))
                .satisfies(d -> {
                    assertThat(d.schedule()).isNull();
                    assertThat(d.alerts()).isTrue();
                });
        ScheduleSettings s = parse("""
                streams:
                  - name: a
                    camera: c
                    url: rtmp://h/live/k
                    schedule:
                      daylight: true
                """).streams().get(0).schedule();
        assertThat(s.daylightMargin()).isEqualTo(ScheduleSettings.DEFAULT_DAYLIGHT_MARGIN);
        assertThat(s.timezone()).isEqualTo(java.time.ZoneId.systemDefault());
        assertThat(s.location()).as("the camera's position then").isNull();
    }

    @Test
    void scheduleMistakesNameTheFieldAndTheExpectedForm() {
        String head = "streams:\n  - name: a\n    camera: c\n    url: rtmp://h/live/k\n    schedule:\n";
        assertThat(onlyProblem(head + "      timezone: Mars/Olympus\n      daylight: true\n").reason())
                .isEqualTo("config/streams.yaml line 6, field 'schedule.timezone': 'Mars/Olympus' is not a time zone:"
                        + " expected a region such as Europe/Copenhagen or America/New_York");
        assertThat(onlyProblem(head + "      windows: [\"Mon-Fri 07:00-19:00\", \"Sat 9-13\"]\n").reason())
                .startsWith("config/streams.yaml line 6, field 'schedule.windows[1]': 'Sat 9-13' is not a window:"
                        + " expected weekdays and times such as \"Mon-Fri 07:00-19:00\"");
        assertThat(onlyProblem(head + "      windows: [\"Mon-Fry 07:00-19:00\"]\n").reason())
                .contains("'Fry' is not a weekday");
        assertThat(onlyProblem(head + "      windows: [\"Mon 07:00-25:00\"]\n").reason())
                .contains("25:00 is not a time of day");
        assertThat(onlyProblem(head + "      daylight: true\n      location: north\n").reason())
                .isEqualTo("config/streams.yaml line 7, field 'schedule.location': 'north' is not a location:"
                        + " expected \"latitude,longitude\" in degrees, e.g. \"55.658,12.377\"");
        assertThat(onlyProblem(head + "      daylight: true\n      location: \"95,10\"\n").reason())
                .contains("is not on earth");
        assertThat(onlyProblem(head + "      timezone: UTC\n").reason()).isEqualTo("config/streams.yaml line 5,"
                + " field 'schedule': a schedule needs windows (e.g. [\"Mon-Fri 07:00-19:00\"]), daylight: true, or"
                + " both");
        assertThat(onlyProblem(head + "      daylight: true\n      daylightMargin: 13h\n").reason())
                .contains("daylightMargin must be from 0 to 12h");
        assertThat(onlyProblem(head + "      daylight: true\n      sunrise: 6\n").reason())
                .contains("field 'schedule.sunrise': unknown key 'sunrise': expected one of timezone, windows,"
                        + " daylight, location, daylightMargin");
    }
}
