package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import io.camrelay.testing.FlvFiles;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlvFileDestinationTest {

    @TempDir
    Path dir;

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

    @Test
    void createsParentDirectoriesWritesTagsAndEndsTheSequenceOnStop() throws Exception {
        Path file = dir.resolve("out/sub/cam.flv");
        FlvFileDestination destination = new FlvFileDestination(file);
        destination.start();
        try (CamelContext context = new DefaultCamelContext()) {
            send(destination, context, List.of(key(40), audio(41)));
            // flushed once the writer catches up: the file holds header + 2 tags
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> Files.size(file) == 13 + (11 + 5 + 4) + (11 + 2 + 4));
        }
        destination.stop();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isEqualTo(13 + 20 + 17 + 20);
        // the last tag is 17 02 00 00 00 at the last video timestamp (40)
        assertThat(java.util.Arrays.copyOfRange(bytes, bytes.length - 20, bytes.length - 4))
                .containsExactly(9, 0, 0, 5, 0, 0, 40, 0, 0, 0, 0, 0x17, 2, 0, 0, 0);
        assertThat(destination.tagsWritten()).isEqualTo(2);
    }

    @Test
    void aStalledDiskNeverBlocksTheRouteAndTheFileResumesAtAKeyFrame() throws Exception {
        Path file = dir.resolve("slow.flv");
        CountDownLatch diskResponds = new CountDownLatch(1);
        FlvFileDestination destination = new FlvFileDestination(file, 4, f -> new FilterOutputStream(
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

        List<FlvTag> written = FlvFiles.read(file);
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
    void aWriteErrorReachesTheRouteOnTheNextMessage() throws Exception {
        FlvFileDestination destination = new FlvFileDestination(dir.resolve("full.flv"), 4, f -> new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        });
        destination.start();
        try (CamelContext context = new DefaultCamelContext()) {
            send(destination, context, List.of(FlvTag.video(0, true, false, false, new byte[300 * 1024])));
            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(
                    () -> send(destination, context, List.of(inter(40)))).isInstanceOf(IOException.class)
                    .hasMessageContaining("full.flv").hasMessageContaining("No space left on device"));
        }
        destination.stop();
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
