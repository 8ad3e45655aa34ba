package io.camrelay.streams;

import io.camrelay.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stream's outputs on a clock the test moves (docs/design.md §7a): what every destination gets across a hold,
 * a resume, a skipped picture, a decision to end the broadcast, maxDuration and a route restart, judged as a
 * platform would judge it — timestamps, gaps, sequence headers, publishes and states.
 */
class StreamOutputsTest {

    /** The stand-in for the ImageServer's privacy-mask refusal: a cause that must end the broadcast. */
    static final class MaskedCameraException extends RuntimeException {
        MaskedCameraException() {
            super("camera has a privacy mask");
        }
    }

    private static final String URL = "test://youtube";
    private static final byte[] KEY = {0x17, 1, 0, 0, 0, 0x65, 1, 2, 3};
    private static final byte[] INTER = {0x27, 1, 0, 0, 0, 0x41, 4, 5};
    private static final byte[] HEADER = {0x17, 0, 0, 0, 0, 1, 0x42, 0, 0x1E};

    private final StreamStatusRegistry registry = new StreamStatusRegistry();
    private final RecordingDestinationType recording = new RecordingDestinationType();
    private final CamelContext camel = new DefaultCamelContext();
    private long nanos = TimeUnit.DAYS.toNanos(1);
    private final Clock clock = TestClock.following(() -> Instant.parse("2026-11-21T10:00:00Z").plusNanos(nanos));
    private StreamOutputs outputs;
    private StreamTracker tracker;
    private long routeMs;

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private StreamOutputs open(HoldSettings hold, HoldDecision decision) {
        StreamDefinition d = new StreamDefinition("lobby", "Lobby", "cam", null, true,
                List.of(new Destination(URL, false)), StreamSource.FILE, hold, null);
        tracker = registry.define(d);
        tracker.state(StreamState.STARTING, null);
        outputs = new StreamOutputs(d, tracker, new StreamOutputs.Environment(camel,
                new DestinationTypes(List.of(recording)), decision, () -> nanos, clock, Runnable::run, () -> false));
        return outputs;
    }

    private StreamOutputs open() {
        return open(HoldSettings.DEFAULT, HoldDecision.ALWAYS);
    }

    /** The route's tags of one picture {@code stepMs} after the last (the clock moves as much). */
    private void picture(boolean key, long stepMs) {
        picture(key, stepMs, key ? KEY : INTER);
    }

    /** As {@link #picture(boolean, long)}, with the picture's own tag body. */
    private void picture(boolean key, long stepMs, byte[] body) {
        advance(stepMs);
        routeMs += stepMs;
        List<FlvTag> tags = new ArrayList<>();
        if (key) {
            tags.add(FlvTag.video(routeMs, true, true, false, HEADER));
        }
        tags.add(FlvTag.video(routeMs, key, false, false, body));
        tags.add(FlvTag.audio(routeMs, false, new byte[] {(byte) 0xAF, 1, 9})); // the route's audio: replaced
        outputs.deliver(tags, System.nanoTime());
    }

    /** {@code seconds} of a 25 fps camera with a key frame every 2 s, starting with one. */
    private void camera(double seconds) {
        int frames = (int) Math.round(seconds * 25);
        for (int i = 0; i < frames; i++) {
            picture(i % 50 == 0, 40);
        }
    }

    private void advance(long ms) {
        for (long left = ms; left > 0; left -= Math.min(left, StreamOutputsRegistry.TICK_MS)) {
            nanos += TimeUnit.MILLISECONDS.toNanos(Math.min(left, StreamOutputsRegistry.TICK_MS));
            outputs.tick();
        }
    }

    private RecordingDestinationType.Sink sink() {
        return recording.sinksOf(URL).get(recording.sinksOf(URL).size() - 1);
    }

    private static List<FlvTag> media(RecordingDestinationType.Sink s, FlvTagType type) {
        return s.tags(type).stream().filter(t -> !t.sequenceHeader()).toList();
    }

    private static long maxGap(List<FlvTag> tags) {
        long max = 0;
        for (int i = 1; i < tags.size(); i++) {
            max = Math.max(max, tags.get(i).timestamp() - tags.get(i - 1).timestamp());
        }
        return max;
    }

    private static void assertStrictlyIncreasing(List<FlvTag> tags) {
        for (int i = 1; i < tags.size(); i++) {
            assertThat(tags.get(i).timestamp()).as("tag %d of %d", i, tags.size())
                    .isGreaterThan(tags.get(i - 1).timestamp());
        }
    }

    @Test
    void aHoldThatEndsOnTheCameraKeyFrameGoesStraightFromHoldingToStreamingNeverThroughAMomentOfStarting() {
        open();
        camera(1);
        outputs.cameraLost("ImageServer session lost");
        tracker.state(StreamState.RECONNECTING, "ImageServer session lost");
        advance(3000);
        tracker.state(StreamState.STARTING, null); // the session is back: its pictures follow
        List<StreamState> seen = new ArrayList<>();
        registry.addListener((status, before) -> seen.add(status.state()));
        picture(false, 40);
        picture(true, 40);

        assertThat(seen).containsExactly(StreamState.STREAMING);
    }

    @Test
    void aLostCameraIsHeldOnOnePublishWithTheLastKeyFrameAndContinuousSilenceUntilItsNextKeyFrame() {
        open();
        camera(3);
        long lastCamera = media(sink(), FlvTagType.VIDEO).get(media(sink(), FlvTagType.VIDEO).size() - 1)
                .timestamp();

        outputs.cameraLost("ImageServer session lost");
        advance(20_000);
        assertThat(tracker.snapshot().state()).isEqualTo(StreamState.HOLDING);
        assertThat(tracker.snapshot().holdingSince()).isNotNull();
        assertThat(tracker.destinations().get(0).state()).isEqualTo(StreamState.HOLDING);
        picture(false, 40); // the reconnected session's first picture is no key frame: held on
        picture(true, 40);
        camera(2);

        List<FlvTag> video = media(sink(), FlvTagType.VIDEO);
        List<FlvTag> held = video.stream().filter(t -> t.timestamp() > lastCamera && t.timestamp() < lastCamera
                + 20_000).toList();
        assertThat(held).allSatisfy(t -> assertThat(t.bodyUnsafe()).isEqualTo(KEY));
        assertThat(held.size()).as("two hold pictures a second").isBetween(39, 41);
        assertStrictlyIncreasing(video);
        assertThat(maxGap(video)).as("largest video gap").isLessThanOrEqualTo(HoldPictures.FREEZE_INTERVAL_MS);
        List<FlvTag> audio = media(sink(), FlvTagType.AUDIO);
        assertStrictlyIncreasing(audio);
        assertThat(maxGap(audio)).as("largest audio gap").isLessThanOrEqualTo(22);
        assertThat(audio).allSatisfy(t -> assertThat(t.size()).isEqualTo(8)); // the outputs' own silent frames
        // the camera's key frame came 20.08 s after its last picture: that is where it lies, no jump back or beyond
        FlvTag resumed = video.stream().filter(t -> t.timestamp() > lastCamera + 20_000).findFirst().orElseThrow();
        assertThat(resumed.timestamp() - lastCamera).isBetween(20_040L, 20_120L);
        assertThat(sink().tags(FlvTagType.VIDEO).stream().filter(FlvTag::sequenceHeader)).as("a header, once")
                .hasSize(1);
        assertThat(recording.sinksOf(URL)).as("one publish across the outage").hasSize(1);
        assertThat(tracker.snapshot().state()).isEqualTo(StreamState.STREAMING);
        assertThat(tracker.snapshot().holdingSince()).isNull();
        assertThat(tracker.snapshot().sourceLastError()).isEqualTo("ImageServer session lost");
    }

    /** A key frame body of {@code size} bytes, each {@code fill}. */
    private static byte[] keyFrame(int size, int fill) {
        byte[] body = new byte[size];
        java.util.Arrays.fill(body, (byte) fill);
        body[0] = 0x17;
        body[1] = 1;
        return body;
    }

    /** The video tags sent after {@code afterMs}, up to the first camera picture whose body is not a held one. */
    private static List<FlvTag> heldAfter(List<FlvTag> video, long afterMs, long untilMs) {
        return video.stream().filter(t -> t.timestamp() > afterMs && t.timestamp() < untilMs).toList();
    }

    @Test
    void aFreezeRepeatsExactlyTheLastKeyFrameAndAnEarlierHoldKeepsItsPicturesWhenLaterKeyFramesDiffer() {
        open();
        byte[] big = keyFrame(400, 0x11);
        byte[] smaller = keyFrame(200, 0x22);
        byte[] larger = keyFrame(450, 0x33);
        picture(true, 40, big);
        for (int i = 0; i < 49; i++) {
            picture(false, 40);
        }
        picture(true, 40, smaller);
        picture(false, 40);
        long firstLoss = routeMs;
        outputs.cameraLost("ImageServer session lost");
        advance(3_000);
        picture(true, 40, larger); // the camera is back with a larger key frame
        for (int i = 0; i < 10; i++) {
            picture(false, 40);
        }
        List<FlvTag> video = media(sink(), FlvTagType.VIDEO);
        long lastBeforeSecondLoss = video.get(video.size() - 1).timestamp();
        outputs.cameraLost("ImageServer session lost");
        advance(3_000);

        video = media(sink(), FlvTagType.VIDEO);
        List<FlvTag> firstHold = heldAfter(video, firstLoss + 40, firstLoss + 3_000);
        List<FlvTag> secondHold = heldAfter(video, lastBeforeSecondLoss, Long.MAX_VALUE);
        assertThat(firstHold).as("first hold").hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(t -> assertThat(t.bodyUnsafe()).isEqualTo(smaller));
        assertThat(firstHold).allSatisfy(t -> assertThat(t.keyFrame()).isTrue());
        assertThat(secondHold).as("second hold").hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(t -> assertThat(t.bodyUnsafe()).isEqualTo(larger));
    }

    @Test
    void aCameraThatGoesQuietIsHeldAfterTheStallTimeWithPicturesFromWhereItStopped() {
        open();
        camera(1);
        long lastCamera = media(sink(), FlvTagType.VIDEO).get(24).timestamp();

        advance(StreamOutputs.STALL_MIN_MS + 100);

        assertThat(outputs.holding()).isTrue();
        List<FlvTag> video = media(sink(), FlvTagType.VIDEO);
        assertThat(video.get(25).timestamp()).as("the first hold picture, back-dated")
                .isEqualTo(lastCamera + HoldPictures.FREEZE_INTERVAL_MS);
        assertThat(maxGap(video)).isLessThanOrEqualTo(HoldPictures.FREEZE_INTERVAL_MS);
    }

    @Test
    void aRouteRestartWhoseTimelineStartsAtZeroAgainContinuesTheStreamsTimeline() {
        open();
        camera(2);
        outputs.cameraSideStopped();
        advance(3_000);
        long beforeRestart = media(sink(), FlvTagType.VIDEO).get(media(sink(), FlvTagType.VIDEO).size() - 1)
                .timestamp();
        routeMs = -40; // a new route's tagger starts its timeline at 0
        camera(2);

        List<FlvTag> video = media(sink(), FlvTagType.VIDEO);
        assertStrictlyIncreasing(video);
        assertThat(video.stream().filter(t -> t.timestamp() > beforeRestart).findFirst().orElseThrow().timestamp()
                - beforeRestart).isLessThanOrEqualTo(HoldPictures.FREEZE_INTERVAL_MS);
        assertThat(recording.sinksOf(URL)).hasSize(1);
    }

    @Test
    void afterMaxDurationTheDestinationsUnpublishOnceAndPublishAgainWhenTheCameraReturns() {
        open(new HoldSettings(HoldMode.FREEZE, null, Duration.ofSeconds(5)), HoldDecision.ALWAYS);
        camera(2);
        outputs.cameraLost("recorder down");

        advance(5_000);
        assertThat(recording.sinksOf(URL)).hasSize(1);
        assertThat(sink().stopped).as("unpublished after hold.maxDuration").isTrue();
        assertThat(tracker.destinations().get(0).lastError()).contains("hold.maxDuration");
        int sent = sink().tags.size();
        advance(30_000);
        assertThat(sink().tags).hasSize(sent);

        camera(2);
        assertThat(recording.sinksOf(URL)).as("one new publish").hasSize(2);
        RecordingDestinationType.Sink again = sink();
        assertThat(again.tags.subList(0, 3)).extracting(FlvTag::type, FlvTag::sequenceHeader).containsExactly(
                org.assertj.core.groups.Tuple.tuple(FlvTagType.VIDEO, true),
                org.assertj.core.groups.Tuple.tuple(FlvTagType.AUDIO, true),
                org.assertj.core.groups.Tuple.tuple(FlvTagType.AUDIO, false));
        assertThat(media(again, FlvTagType.VIDEO).get(0).keyFrame()).isTrue();
        assertThat(tracker.destinations().get(0).publishes()).isEqualTo(2);
    }

    @Test
    void aSkippedPictureIsBridgedToTheNextKeyFrameWithoutShowingHolding() {
        open();
        camera(1);
        outputs.pictureSkipped("slice header refers to PPS 200, which was not received", true);
        for (int i = 0; i < 24; i++) {
            picture(false, 40); // they refer to the skipped picture: not sent
            assertThat(tracker.snapshot().state()).isNotEqualTo(StreamState.HOLDING);
        }
        picture(true, 40);
        camera(1);

        List<FlvTag> video = media(sink(), FlvTagType.VIDEO);
        assertStrictlyIncreasing(video);
        assertThat(maxGap(video)).isLessThanOrEqualTo(HoldPictures.FREEZE_INTERVAL_MS);
        assertThat(video.stream().filter(t -> java.util.Arrays.equals(t.bodyUnsafe(), INTER)).count())
                .as("inter frames sent: none of those after the skipped picture")
                .isEqualTo(24 + 24);
        assertThat(tracker.snapshot().skippedPictures()).isEqualTo(1);
        assertThat(tracker.snapshot().state()).isEqualTo(StreamState.STREAMING);
    }

    @Test
    void aPacketOfAnotherDataTypeIsCountedAndTheVideoGoesOn() {
        open();
        camera(1);
        outputs.pictureSkipped("GenericByteData data type 0x0020 is not a video stream packet", false);
        camera(1);
        assertThat(outputs.holding()).isFalse();
        assertThat(media(sink(), FlvTagType.VIDEO)).hasSize(50);
        assertThat(tracker.snapshot().skippedPictures()).isEqualTo(1);
    }

    @Test
    void onlyANothingButBadPicturesForTenSecondsIsAnError() {
        open();
        camera(1);
        for (int i = 0; i < 9_000 / 40; i++) {
            advance(40);
            outputs.pictureSkipped("H.264 syntax error", true);
        }
        assertThat(tracker.snapshot().state()).isEqualTo(StreamState.STREAMING);
        for (int i = 0; i < 2_000 / 40; i++) {
            advance(40);
            outputs.pictureSkipped("H.264 syntax error", true);
        }
        assertThat(tracker.snapshot().state()).isEqualTo(StreamState.ERROR);
        assertThat(tracker.snapshot().lastError()).contains("the camera of stream lobby sent nothing but pictures CamRelay cannot read for 10 s")
                .contains("H.264 syntax error");
        camera(1);
        assertThat(tracker.snapshot().state()).isEqualTo(StreamState.STREAMING);
    }

    @Test
    void aCauseTheHoldDecisionEndsUnpublishesAtOnceWithNoHoldPictureAfterIt() {
        open(HoldSettings.DEFAULT, new HoldDecision(List.of(MaskedCameraException.class)));
        camera(2);
        int before = sink().tags.size();

        outputs.awaitDecision("camera has a privacy mask");
        advance(2_000);
        assertThat(sink().tags).as("nothing while the failure handling decides").hasSize(before);
        boolean held = outputs.cameraFailed(new RuntimeException("wrapped", new MaskedCameraException()),
                "camera has a privacy mask");
        advance(10_000);

        assertThat(held).isFalse();
        assertThat(sink().stopped).isTrue();
        assertThat(sink().tags).hasSize(before);
        assertThat(outputs.parked()).isTrue();
    }

    @Test
    void anyOtherFailureHoldsThroughTheRestartAndTheDecisionGoesOnWithTheSameHold() {
        open(HoldSettings.DEFAULT, new HoldDecision(List.of(MaskedCameraException.class)));
        camera(2);
        outputs.cameraLost("session lost");
        advance(3_000);
        outputs.awaitDecision("Unknown device");
        advance(500);

        assertThat(outputs.cameraFailed(new IllegalStateException("codec changed"), "codec changed")).isTrue();
        advance(2_000);
        List<FlvTag> video = media(sink(), FlvTagType.VIDEO);
        assertStrictlyIncreasing(video);
        assertThat(maxGap(video)).isLessThanOrEqualTo(HoldPictures.FREEZE_INTERVAL_MS);
        assertThat(sink().stopped).isFalse();
    }

    @Test
    void holdModeOffSendsNothingWhileTheCameraIsAwayAndUnpublishesWhenTheRouteStops() {
        open(new HoldSettings(HoldMode.OFF, null, Duration.ofMinutes(10)), HoldDecision.ALWAYS);
        camera(2);
        int before = sink().tags.size();
        outputs.cameraLost("session lost");
        advance(5_000);
        assertThat(sink().tags).hasSize(before);
        assertThat(tracker.snapshot().state()).isNotEqualTo(StreamState.HOLDING);

        outputs.cameraSideStopped();
        assertThat(sink().stopped).isTrue();
    }

    @Test
    void aChangedSequenceHeaderIsSentOnResumeAndAnUnchangedOneIsNot() {
        open();
        camera(2);
        outputs.cameraSideStopped();
        advance(2_000);
        camera(2); // the new route sends the same SPS/PPS again
        assertThat(sink().tags(FlvTagType.VIDEO).stream().filter(FlvTag::sequenceHeader)).hasSize(1);

        outputs.cameraLost("camera reconfigured");
        advance(2_000);
        advance(40);
        routeMs += 40;
        byte[] newHeader = HEADER.clone();
        newHeader[8] = 0x28;
        outputs.deliver(List.of(FlvTag.video(routeMs, true, true, false, newHeader),
                FlvTag.video(routeMs, true, false, false, KEY)), System.nanoTime());

        List<FlvTag> headers = sink().tags(FlvTagType.VIDEO).stream().filter(FlvTag::sequenceHeader).toList();
        assertThat(headers).hasSize(2);
        assertThat(headers.get(1).bodyUnsafe()).isEqualTo(newHeader);
    }

    @Test
    void aSlateHoldSendsTheSlatesSequenceHeaderOnEntryAndTheCamerasOnReturn(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        HoldSlate slate = HoldSlate.load(HoldSlateTest.makeSlate(dir, "offline.h264"));
        open(new HoldSettings(HoldMode.SLATE, slate.file(), Duration.ofMinutes(10)), HoldDecision.ALWAYS);
        camera(2);
        outputs.cameraLost("recorder down");
        advance(3_000);
        camera(2);

        List<FlvTag> video = sink().tags(FlvTagType.VIDEO);
        List<FlvTag> headers = video.stream().filter(FlvTag::sequenceHeader).toList();
        assertThat(headers).extracting(FlvTag::bodyUnsafe).containsExactly(HEADER,
                slate.sequenceHeader().bodyUnsafe(), HEADER);
        int slateHeader = video.indexOf(headers.get(1));
        assertThat(video.get(slateHeader + 1).bodyUnsafe()).as("the slate's key frame right after its header")
                .isEqualTo(slate.pictures().picture(1).bodyUnsafe());
        int cameraHeader = video.indexOf(headers.get(2));
        assertThat(video.get(cameraHeader + 1).bodyUnsafe()).isEqualTo(KEY);
        assertThat(video.subList(slateHeader + 1, cameraHeader)).as("slate pictures").hasSizeBetween(5, 7);
        List<FlvTag> pictures = media(sink(), FlvTagType.VIDEO);
        assertStrictlyIncreasing(pictures);
        assertThat(maxGap(pictures)).isLessThanOrEqualTo(HoldPictures.FREEZE_INTERVAL_MS);
    }

    @Test
    void aViewerGetsTheHeadersThenThePicturesAndOneThatFailsIsDetachedWhileTheDestinationGoesOn() {
        open();
        camera(1);
        List<List<FlvTag>> seen = new ArrayList<>();
        boolean[] stopped = new boolean[2];
        DestinationSink viewer = new DestinationSink() {
            public void start() { }
            public void send(List<FlvTag> tags, long receiveNanos) {
                seen.add(tags);
            }
            public void stop() {
                stopped[0] = true;
            }
        };
        DestinationSink failing = new DestinationSink() {
            public void start() { }
            public void send(List<FlvTag> tags, long receiveNanos) {
                throw new IllegalStateException("too slow");
            }
            public void stop() {
                stopped[1] = true;
            }
        };
        int before = media(sink(), FlvTagType.VIDEO).size();

        assertThat(outputs.watch(viewer)).isTrue();
        assertThat(outputs.watch(failing)).isTrue();
        assertThat(outputs.viewers()).as("the failing viewer went at its first headers").isEqualTo(1);
        camera(1);
        outputs.unwatch(viewer);
        camera(1);

        assertThat(seen.get(0)).as("first the sequence headers the destinations have")
                .allMatch(FlvTag::sequenceHeader).extracting(FlvTag::type)
                .containsExactly(FlvTagType.VIDEO, FlvTagType.AUDIO);
        assertThat(seen.subList(1, seen.size()).stream().flatMap(List::stream)
                .filter(t -> t.type() == FlvTagType.VIDEO && !t.sequenceHeader())).hasSize(25);
        assertThat(stopped).containsExactly(false, true);
        assertThat(media(sink(), FlvTagType.VIDEO).size() - before).as("the destination missed nothing")
                .isEqualTo(50);
        assertThat(outputs.viewers()).isZero();
    }
}
