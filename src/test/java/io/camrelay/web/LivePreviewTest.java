package io.camrelay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The preview's setting and the receive time it stamps on each fragment. */
class LivePreviewTest {

    @Test
    void maxViewersDefaultsToFourAcceptsZeroToAHundredAndNamesTheKeyOtherwise() {
        assertThat(LivePreview.maxViewers(null)).isEqualTo(4);
        assertThat(LivePreview.maxViewers(" ")).isEqualTo(4);
        assertThat(LivePreview.maxViewers("0")).isZero();
        assertThat(LivePreview.maxViewers(" 100 ")).isEqualTo(100);
        assertThatThrownBy(() -> LivePreview.maxViewers("101")).hasMessage("camrelay.preview.max-viewers = '101' is"
                + " not a whole number from 0 to 100: set the live preview's viewers per stream (0 turns the preview"
                + " off; default 4)");
        assertThatThrownBy(() -> LivePreview.maxViewers("four")).hasMessageStartingWith(
                "camrelay.preview.max-viewers = 'four' is not a whole number");
    }

    @Test
    void thePrftBoxCarriesTheReceiveTimeAsNtpAndTheFragmentsDecodeTime() {
        long receivedNanos = System.nanoTime() - 250_000_000L; // received 250 ms ago
        long expectedMs = System.currentTimeMillis() - 250;
        ByteBuffer b = ByteBuffer.wrap(PreviewViewer.prft(receivedNanos, 1234));

        assertThat(b.getInt()).as("size").isEqualTo(32);
        byte[] type = new byte[4];
        b.get(type);
        assertThat(new String(type, StandardCharsets.US_ASCII)).isEqualTo("prft");
        assertThat(b.getInt()).as("version 1, flags 8").isEqualTo(0x01000008);
        assertThat(b.getInt()).as("reference track: video").isEqualTo(1);
        long seconds = b.getInt() & 0xFFFFFFFFL;
        long fraction = b.getInt() & 0xFFFFFFFFL;
        long ms = (seconds - 2_208_988_800L) * 1000 + (fraction * 1000 >> 32);
        assertThat(ms).isBetween(expectedMs - 20, expectedMs + 20);
        assertThat(b.getLong()).as("media time (ms)").isEqualTo(1234);
    }
}
