package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.media.FlvTag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlvFileDestinationTest {

    @TempDir
    Path dir;

    @Test
    void createsParentDirectoriesWritesTagsAndEndsTheSequenceOnStop() throws Exception {
        Path file = dir.resolve("out/sub/cam.flv");
        FlvFileDestination destination = new FlvFileDestination(file);
        destination.start();
        try (CamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setBody(List.of(FlvTag.video(40, true, false, false, new byte[] {0x17, 1, 0, 0, 0}),
                    FlvTag.audio(41, false, new byte[] {(byte) 0xAF, 1})));
            destination.process(exchange);
            // flushed per exchange: the file already holds header + 2 tags
            assertThat(Files.size(file)).isEqualTo(13 + (11 + 5 + 4) + (11 + 2 + 4));
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
    void refusesToWriteBeforeStart() throws Exception {
        FlvFileDestination destination = new FlvFileDestination(dir.resolve("x.flv"));
        try (CamelContext context = new DefaultCamelContext()) {
            assertThatThrownBy(() -> destination.process(new DefaultExchange(context)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        }
    }
}
