package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.testing.FfProbe;
import io.camrelay.testing.FlvFiles;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlvFileDestinationTest {

    private static final Clock NOON = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** What the writer thread told. */
    private static final class Events implements FlvFileDestination.Listener {
        final List<Path> started = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();

        @Override
        public void fileStarted(Path file) {
            started.add(file);
        }

        @Override
        public void failed(String reason) {
            failures.add(reason);
        }
    }

    private static FlvTag key(long ts) {
        return FlvTag.video(ts, true, false, false, new byte[] {0x17, 1, 0, 0, 0});
    }

    private static FlvTag inter(long ts) {
        return FlvTag.video(ts, false, false, false, new byte[] {0x27, 1, 0, 0, 0});
    }

    private static FlvTag audio(long ts) {
        return FlvTag.audio(ts, false, new byte[] {(byte) 0xAF, 1});
    }

    private static void send(FlvFileDestination destination, CamelContext context, List<FlvTag> tags)
            throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(tags);
        destination.process(exchange);
    }

    private List<Path> recordings() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".flv")).sorted().toList();
        }
    }

    /** Hands {@code tags} over one at a time, as a stream route does, letting the writer catch up now and then. */
    private static void feed(FlvFileDestination destination, List<FlvTag> tags) throws InterruptedException {
        for (int i = 0; i < tags.size(); i++) {
            destination.write(List.of(tags.get(i)));
            if (i % 10 == 0) {
                Thread.sleep(1);
            }
        }
    }

    /** The ffmpeg-made clip's tags (H.264 + AAC, 6 s), shifted by {@code offsetMs}. */
    private static List<FlvTag> clip(long offsetMs) {
        return FlvFiles.clipTags().stream().map(t -> t.withTimestamp(t.timestamp() + offsetMs)).toList();
    }

    @Test
    void namesEachFileAfterTheRecordingAndItsStartWritesTagsAndEndsTheSequenceOnStop() throws Exception {
        FlvFileDestination destination = new FlvFileDestination(dir.resolve("out/sub/cam.flv"), 8,
                FlvFileDestination.Opener.CREATE_NEW, NOON, 0, null, FlvFileDestination.Listener.NONE);
        Path file = dir.resolve("out/sub/cam-20261121T120000Z.flv");
        destination.start();
        try (CamelContext context = new DefaultCamelContext()) {
            send(destination, context, List.of(key(40), audio(41)));
            // flushed once the writer catches up: the file holds header + 2 tags, timestamps from 0
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> Files.exists(file) && Files.size(file) == 13 + (11 + 5 + 4) + (11 + 2 + 4));
        }
        destination.stop();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isEqualTo(13 + 20 + 17 + 20);
        // the last tag is 17 02 00 00 00 at the last video timestamp (0 in the file)
        assertThat(java.util.Arrays.copyOfRange(bytes, bytes.length - 20, bytes.length - 4))
                .containsExactly(9, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0x17, 2, 0, 0, 0);
        assertThat(destination.tagsWritten()).isEqualTo(2);
        assertThat(recordings()).containsExactly(file);
    }

    @Test
    void eachStartWritesANewFileAndNeverTruncatesAnEarlierOne() throws Exception {
        FlvFileDestination destination = new FlvFileDestination(dir.resolve("lobby.flv"), 250,
                FlvFileDestination.Opener.CREATE_NEW, NOON, 0, null, FlvFileDestination.Listener.NONE);
        for (int run = 0; run < 2; run++) {
            destination.start();
            destination.write(clip(0));
            destination.stop();
        }

        // the same second: the second file gets a suffix, the first keeps what it recorded
        assertThat(recordings()).containsExactly(dir.resolve("lobby-20261121T120000Z-2.flv"),
                dir.resolve("lobby-20261121T120000Z.flv"));
        for (Path p : recordings()) {
            assertThat(FfProbe.decodeErrors(p)).as(p + " decode errors").isEmpty();
            assertThat(FfProbe.stream(p, "video").frames()).isEqualTo(FlvFiles.CLIP_VIDEO_FRAMES);
        }
    }

    @Test
    void aFullDiskShowsAsAnErrorAndRecordingResumesInANewFileOnceThereIsSpace() throws Exception {
        AtomicLong space = new AtomicLong(200_000);
        FlvFileDestination.Opener quota = f -> new FilterOutputStream(Files.newOutputStream(f,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (space.addAndGet(-len) < 0) {
                    throw new IOException("No space left on device");
                }
                out.write(b, off, len);
            }
        };
        Events events = new Events();
        FlvFileDestination destination = new FlvFileDestination(dir.resolve("full.flv"), 250, quota,
                Clock.systemUTC(), 0, null, events);
        destination.start();
        // Given a disk with room for part of the clip, when all of it arrives, then the destination shows the error
        feed(destination, clip(0));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !events.failures.isEmpty());
        assertThat(events.failures.get(0)).contains("full").contains("No space left on device")
                .contains("check the disk space");
        assertThat(destination.lastError()).contains("No space left on device");
        assertThat(destination.currentFile()).isNull();

        // When space is back, then a later key frame starts a new file, with no restart
        space.set(Long.MAX_VALUE / 2);
        AtomicLong offset = new AtomicLong();
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            feed(destination, clip(offset.addAndGet(6_000)));
            return events.started.size() == 2;
        });
        destination.stop();

        assertThat(destination.lastError()).isNull();
        assertThat(recordings()).hasSize(2);
        for (Path p : recordings()) {
            // the first was cut back to its last whole tag: what it recorded still decodes
            assertThat(FfProbe.decodeErrors(p)).as(p + " decode errors").isEmpty();
        }
    }

    @Test
    void aFileStartsAnewAtTheFirstKeyFrameBeforeFlvTimestampsRunOut() throws Exception {
        Events events = new Events();
        FlvFileDestination destination = new FlvFileDestination(dir.resolve("long.flv"), 8,
                FlvFileDestination.Opener.CREATE_NEW, NOON, 0, null, events);
        long late = FileRecorder.MAX_FILE_SPAN_MS + 1_000;
        destination.start();
        destination.write(List.of(key(0), audio(0), inter(40)));
        destination.write(List.of(inter(late - 40)));
        destination.write(List.of(audio(late), key(late), inter(late + 40)));
        destination.stop();

        assertThat(events.started).hasSize(2);
        List<FlvTag> second = FlvFiles.read(events.started.get(1));
        // the audio frame of the key frame's instant comes first in the new file as well
        assertThat(second).extracting(FlvTag::timestamp).containsExactly(0L, 0L, 40L);
        assertThat(second.get(0).type()).isEqualTo(FlvTagType.AUDIO);
        assertThat(second.get(1).keyFrame()).isTrue();
        assertThat(FlvFiles.read(events.started.get(0))).extracting(FlvTag::timestamp)
                .allMatch(ts -> ts <= Integer.MAX_VALUE);
    }

    @Test
    void maxDurationAndMaxSizeStartANewFileAtAKeyFrame() throws Exception {
        Events events = new Events();
        FlvFileDestination destination = new FlvFileDestination(dir.resolve("cut.flv"), 250,
                FlvFileDestination.Opener.CREATE_NEW, Clock.systemUTC(), 0, Duration.ofSeconds(2), events);
        destination.start();
        destination.write(clip(0)); // 6 s, a key frame every 2 s
        destination.stop();
        assertThat(events.started).hasSize(3);

        Events bySize = new Events();
        FlvFileDestination sized = new FlvFileDestination(dir.resolve("sized/cut.flv"), 250,
                FlvFileDestination.Opener.CREATE_NEW, Clock.systemUTC(), 1, null, bySize);
        sized.start();
        sized.write(clip(0));
        sized.stop();
        assertThat(bySize.started).hasSize(3);
        for (Path p : bySize.started) {
            assertThat(FfProbe.decodeErrors(p)).as(p + " decode errors").isEmpty();
            assertThat(FlvFiles.read(p).stream().filter(t -> t.type() == FlvTagType.VIDEO && !t.sequenceHeader())
                    .findFirst().orElseThrow().keyFrame()).isTrue();
        }
    }

    @Test
    void aStalledDiskNeverBlocksTheRouteAndTheFileResumesAtAKeyFrame() throws Exception {
        CountDownLatch diskResponds = new CountDownLatch(1);
        FlvFileDestination destination = new FlvFileDestination(dir.resolve("slow.flv"), 4, f -> new FilterOutputStream(
                Files.newOutputStream(f)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    diskResponds.await(); // a disk that does not answer, as an NFS mount gone away
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                out.write(b, off, len);
            }
        });
        destination.start();
        try (CamelContext context = new DefaultCamelContext()) {
            // Given the writer is stuck, when a camera keeps sending, then every call still returns at once.
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                send(destination, context, List.of(key(0)));
                for (int i = 1; i < 40; i++) {
                    // large enough that the writer's buffer fills and it blocks on the "disk"
                    send(destination, context, List.of(FlvTag.video(i * 40L, false, false, false,
                            new byte[300 * 1024]), audio(i * 40L)));
                }
            });
            assertThat(destination.droppedFrames()).as("dropped while the disk stalled").isPositive();
            // When the disk answers again, an inter frame is still skipped: its reference was dropped.
            diskResponds.countDown();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> destination.queuedMessages() == 0);
            send(destination, context, List.of(inter(1600), audio(1600)));
            send(destination, context, List.of(key(1640), audio(1640)));
        }
        destination.stop();

        List<FlvTag> written = FlvFiles.read(recordings().get(0));
        List<FlvTag> video = written.stream().filter(t -> t.type() == FlvTagType.VIDEO).toList();
        assertThat(video.get(0).keyFrame()).isTrue();
        // after the gap the next picture written is the key frame at 1640: no inter frame without its reference
        int gap = 0;
        for (int i = 1; i < video.size(); i++) {
            if (video.get(i).timestamp() - video.get(i - 1).timestamp() > 40) {
                gap = i;
                break;
            }
        }
        assertThat(gap).as("a gap in the pictures").isPositive();
        assertThat(video.get(gap).timestamp()).isEqualTo(1640);
        assertThat(video.get(gap).keyFrame()).isTrue();
        assertThat(written).anyMatch(t -> t.type() == FlvTagType.AUDIO && t.timestamp() == 1600);
    }

    @Test
    void refusesToWriteBeforeStart() throws Exception {
        FlvFileDestination destination = new FlvFileDestination(dir.resolve("x.flv"));
        try (CamelContext context = new DefaultCamelContext()) {
            DefaultExchange exchange = new DefaultExchange(context);
            exchange.getMessage().setBody(List.of());
            assertThatThrownBy(() -> destination.process(exchange))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        }
    }
}
