package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FlvTagTest {

    private static final byte[] BODY = {0x17, 1, 0, 0, 0, 0x65};

    /** Every way an outside caller can make a tag from its own array. */
    private static final List<Function<byte[], FlvTag>> PUBLIC_FACTORIES = List.of(
            b -> new FlvTag(FlvTagType.VIDEO, 40, true, false, false, b),
            b -> FlvTag.video(40, true, false, false, b),
            b -> FlvTag.audio(40, false, b),
            b -> FlvTag.script(40, b));

    @Test
    void mutatingTheArrayPassedInLeavesTheTagUnchanged() {
        for (Function<byte[], FlvTag> factory : PUBLIC_FACTORIES) {
            byte[] mine = BODY.clone();
            FlvTag tag = factory.apply(mine);
            mine[0] = 0x27;
            mine[5] = 0;
            assertThat(tag.body()).containsExactly(BODY);
            assertThat(tag.bodyUnsafe()).isNotSameAs(mine);
        }
    }

    @Test
    void mutatingTheArrayReturnedByBodyLeavesTheTagUnchanged() {
        FlvTag tag = FlvTag.video(40, true, false, false, BODY);
        FlvTag same = FlvTag.video(40, true, false, false, BODY);
        byte[] out = tag.body();
        out[0] = 0x27;
        assertThat(tag.body()).containsExactly(BODY);
        assertThat(tag.body()).isNotSameAs(tag.body());
        assertThat(tag).isEqualTo(same).hasSameHashCodeAs(same);
    }

    @Test
    void withTimestampKeepsEverythingButTheTimestamp() {
        FlvTag tag = FlvTag.video(40, true, false, true, BODY);
        FlvTag rebased = tag.withTimestamp(0);
        assertThat(rebased.body()).containsExactly(BODY);
        assertThat(rebased.timestamp()).isZero();
        assertThat(rebased.type()).isEqualTo(FlvTagType.VIDEO);
        assertThat(rebased.keyFrame()).isTrue();
        assertThat(rebased.sequenceHeader()).isFalse();
        assertThat(rebased.disposable()).isTrue();
        assertThat(rebased).isEqualTo(FlvTag.video(0, true, false, true, BODY));
    }

    @Test
    void anOwnedBodyMakesTheSameTagAsACopiedOne() {
        FlvTag tag = FlvTag.ofOwnedBody(FlvTagType.VIDEO, 40, true, false, false, BODY.clone());
        assertThat(tag).isEqualTo(FlvTag.video(40, true, false, false, BODY));
    }

    @Test
    void taggersHandOverTheirFreshBodiesWithoutKeepingThem() {
        // what the taggers produce is still a value: a copy from body() never reaches the tag
        FlvTag eos = AvcTagger.endOfSequence(80);
        eos.body()[0] = 0;
        assertThat(BitWriter.hex(eos.body())).isEqualTo("1702000000");
        FlvTag metadata = new FlvMetadata(AvcTagger.FLV_CODEC_ID, 1920, 1080, 25.0, 0, SilentAac.DEFAULT).tag(0);
        byte[] before = metadata.body();
        metadata.body()[0] = 0x7F;
        assertThat(metadata.body()).containsExactly(before);
    }

    @Test
    void rejectsANegativeTimestampOrAnOversizedBodyWhicheverWayTheTagIsMade() {
        assertThatThrownBy(() -> FlvTag.video(-1, false, false, false, BODY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> FlvTag.ofOwnedBody(FlvTagType.AUDIO, -1, false, false, false, BODY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> FlvTag.video(0, false, false, false, BODY).withTimestamp(-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
        byte[] huge = new byte[FlvTag.MAX_BODY_SIZE + 1];
        assertThatThrownBy(() -> FlvTag.ofOwnedBody(FlvTagType.VIDEO, 0, false, false, false, huge))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(huge.length));
    }

    @Test
    void toStringPrintsTheBodyLengthNotTheBytes() {
        assertThat(FlvTag.video(40, true, true, false, BODY).toString())
                .isEqualTo("FlvTag[VIDEO ts=40 key seqhdr 6 bytes]");
    }
}
