package io.camrelay.media;

import io.camrelay.testing.TestClips;
import java.util.ArrayList;
import java.util.List;

/** FLV tags as a stream route makes them from a real clip: AvcTagger, then SilentAudioInterleaver. */
final class Mp4TestInput {

    static final long T0 = 1_763_700_000_000L;
    static final long INTERVAL_MS = 40;

    private Mp4TestInput() {
    }

    /** The tags of {@code clip}, pictures 40 ms apart, with silent 48 kHz stereo AAC. */
    static List<FlvTag> tags(TestClips.Clip clip) {
        return tags(List.of(clip));
    }

    /** The tags of the clips played one after the other through one tagger (a parameter-set change between). */
    static List<FlvTag> tags(List<TestClips.Clip> clips) {
        AvcTagger tagger = new AvcTagger();
        SilentAudioInterleaver audio = new SilentAudioInterleaver();
        List<FlvTag> out = new ArrayList<>();
        long picture = 0;
        for (TestClips.Clip clip : clips) {
            for (byte[] unit : AccessUnits.split(TestClips.bytes(clip), VideoCodec.H264)) {
                out.addAll(audio.interleave(tagger.tag(unit, T0 + INTERVAL_MS * picture++)));
            }
        }
        return out;
    }

    /** The video pictures among {@code tags} (no sequence headers). */
    static List<FlvTag> pictures(List<FlvTag> tags) {
        return tags.stream().filter(t -> t.type() == FlvTagType.VIDEO && !t.sequenceHeader()).toList();
    }

    /** The same tags with every tag from {@code fromMs} on moved {@code byMs} later (a gap in the recording). */
    static List<FlvTag> withGap(List<FlvTag> tags, long fromMs, long byMs) {
        return tags.stream().map(t -> t.timestamp() >= fromMs ? t.withTimestamp(t.timestamp() + byMs) : t).toList();
    }
}
