package io.camrelay.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.media.AvcTagger;
import io.camrelay.media.H264SyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each corrupt picture of the simulator is one the relay's H.264 parser refuses, and only that one. */
class PictureFaultsTest {

    private final List<ClipFrames.Frame> clip = ClipFrames.load(SimulatorClip.H264_BASELINE);

    @Test
    void everyKindOfCorruptPictureIsRefusedByTheParserAndThePicturesAfterItStillTag() {
        for (long kind = 0; kind < 3; kind++) {
            AvcTagger tagger = new AvcTagger();
            assertThat(tagger.tag(clip.get(0).data(), 0)).isNotEmpty();
            byte[] corrupt = PictureFaults.corrupt(clip.get(25).data(), kind);
            long n = kind;
            assertThatThrownBy(() -> tagger.tag(corrupt, 1000)).as("corruption %d", n)
                    .isInstanceOf(H264SyntaxException.class);
            assertThat(tagger.tag(clip.get(50).data(), 2000)).as("the next key frame").isNotEmpty();
        }
    }

    @Test
    void theCorruptPictureIsInTheMiddleOfEachTwoSecondsAndForeignPacketsComeEverySecond() {
        assertThat(PictureFaults.corruptsPicture(25, 25)).isTrue();
        assertThat(PictureFaults.corruptsPicture(75, 25)).isTrue();
        assertThat(PictureFaults.corruptsPicture(50, 25)).isFalse();
        assertThat(PictureFaults.sendsForeignPackets(50, 25)).isTrue();
        assertThat(PictureFaults.foreignPackets(0)).hasSize(2);
    }
}
