package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.testing.TestClips;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvcTaggerTest {

    private static final long T0 = 1_763_700_000_000L;
    private static final byte[] SPS = BitWriter.hex(H264SpsTest.SPS_BASELINE_360P);
    private static final byte[] PPS = BitWriter.hex("68cb83cb20");
    private static final byte[] AUD = {0x09, (byte) 0xF0};
    private static final byte[] SEI = {0x06, 0x05, 0x01, 0x00, (byte) 0x80};
    private static final byte[] FILLER = {0x0C, (byte) 0xFF, (byte) 0xFF, (byte) 0x80};
    private static final byte[] END_OF_SEQUENCE = {0x0A};

    /** A baseline (POC type 2) IDR slice and a non-IDR slice for {@link #SPS}. */
    private static byte[] idrSlice() {
        return new BitWriter().ue(0).ue(7).ue(0).u(4, 0).ue(0).u(8, 0x55).nal(0x65);
    }

    private static byte[] pSlice(int frameNum, int refIdc) {
        return new BitWriter().ue(0).ue(5).ue(0).u(4, frameNum).u(8, 0x55).nal((refIdc << 5) | 1);
    }

    private static List<Integer> nalTypesOf(byte[] pictureBody) {
        List<Integer> types = new ArrayList<>();
        int pos = AvcTagger.VIDEO_TAG_HEADER_LENGTH;
        while (pos < pictureBody.length) {
            int length = ((pictureBody[pos] & 0xFF) << 24) | ((pictureBody[pos + 1] & 0xFF) << 16)
                    | ((pictureBody[pos + 2] & 0xFF) << 8) | (pictureBody[pos + 3] & 0xFF);
            types.add(pictureBody[pos + 4] & 0x1F);
            pos += 4 + length;
        }
        assertThat(pos).isEqualTo(pictureBody.length);
        return types;
    }

    private static int compositionTime(FlvTag tag) {
        byte[] b = tag.bodyUnsafe();
        return ((b[2] << 16) | ((b[3] & 0xFF) << 8) | (b[4] & 0xFF));
    }

    @Test
    void anAccessUnitOfManyNalUnitsIsNotHeldOnToAfterwards() {
        // Given a stream whose key frame came with 100,000 filler NAL units (about 800 KB of NAL bounds to note)
        AvcTagger tagger = new AvcTagger();
        List<byte[]> units = new ArrayList<>(List.of(SPS, PPS));
        for (int i = 0; i < 100_000; i++) {
            units.add(FILLER);
        }
        units.add(idrSlice());
        assertThat(tagger.tag(AnnexB.join(units), T0)).hasSize(2);

        // When the next, ordinary picture is tagged
        assertThat(tagger.tag(AnnexB.join(List.of(pSlice(1, 1))), T0 + 40)).hasSize(1);

        // Then the tagger keeps room for a few NAL units, not for the largest access unit it ever saw
        assertThat(tagger.nalUnitCapacity()).isLessThanOrEqualTo(AvcTagger.RETAINED_NAL_UNITS);
    }

    @Test
    void aPicturesBodyWritesInPiecesTheSameBytesAsItsJoinedBodyFromAnyOffset() {
        // Given a two-slice IDR picture after a delimiter and an SEI, with 3- and 4-byte start codes mixed
        byte[] idr = idrSlice();
        byte[] secondSlice = new BitWriter().ue(10).ue(7).ue(0).u(4, 0).ue(0).u(8, 0x66).nal(0x65);
        java.io.ByteArrayOutputStream annexB = new java.io.ByteArrayOutputStream();
        for (byte[] nal : List.of(AUD, SPS, PPS, SEI, idr, secondSlice)) {
            annexB.writeBytes(nal == SEI || nal == secondSlice ? new byte[] {0, 0, 1} : new byte[] {0, 0, 0, 1});
            annexB.writeBytes(nal);
        }
        FlvTag picture = new AvcTagger().tag(annexB.toByteArray(), T0).get(1);

        // Then its body is the AVC NALU tag: header, then each kept NAL unit after its 4-byte length
        byte[] body = picture.body();
        assertThat(BitWriter.hex(body)).isEqualTo("1701000000" + String.format("%08x", SEI.length) + BitWriter.hex(SEI)
                + String.format("%08x", idr.length) + BitWriter.hex(idr) + String.format("%08x", secondSlice.length)
                + BitWriter.hex(secondSlice));
        assertThat(picture.size()).isEqualTo(body.length);
        // and any window of it, written in the pieces the tag holds, is the same bytes
        for (int from = 0; from <= body.length; from++) {
            for (int length : new int[] {0, 1, 3, 4, 5, 9, 128, body.length - from}) {
                if (from + length > body.length) {
                    continue;
                }
                java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
                picture.writeBody(from, length, written::write);
                assertThat(written.toByteArray()).as("bytes %d..%d", from, from + length)
                        .isEqualTo(java.util.Arrays.copyOfRange(body, from, from + length));
            }
        }
        byte[] copied = new byte[body.length + 3];
        picture.copyBody(copied, 3);
        assertThat(java.util.Arrays.copyOfRange(copied, 3, copied.length)).isEqualTo(body);
        assertThat(picture.withTimestamp(1234).body()).isEqualTo(body);
    }

    @Test
    void taggingAPictureDoesNotCopyItsNalUnits() {
        // Given a stream of 20 KB pictures, tagged for a while so that the code is compiled
        AvcTagger tagger = new AvcTagger();
        tagger.tag(AnnexB.join(List.of(SPS, PPS, idrSlice())), T0);
        byte[] padding = new byte[20_000];
        java.util.Arrays.fill(padding, (byte) 0x55);
        List<byte[]> pictures = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            byte[] slice = pSlice(1 + i % 15, 2);
            byte[] big = java.util.Arrays.copyOf(slice, slice.length + padding.length);
            System.arraycopy(padding, 0, big, slice.length, padding.length);
            pictures.add(AnnexB.join(List.of(AUD, big)));
        }
        for (int i = 0; i < 3000; i++) {
            assertThat(tagger.tag(pictures.get(i), T0 + 40L * (i + 1))).hasSize(1);
        }

        // When 1000 more are tagged
        long before = allocatedBytes();
        for (int i = 3000; i < 4000; i++) {
            tagger.tag(pictures.get(i), T0 + 40L * (i + 1));
        }
        long perPicture = (allocatedBytes() - before) / 1000;

        System.out.printf("figures: %d bytes allocated per 20 KB picture%n", perPicture);
        // Then each cost a few hundred bytes, not a 20 KB copy of its NAL units
        assertThat(perPicture).as("bytes allocated per picture").isLessThan(2_000);
    }

    /** Bytes allocated by this thread so far (HotSpot's per-thread counter). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void startsWithTheSequenceHeaderThenTheKeyFrame() {
        AvcTagger tagger = new AvcTagger();
        List<FlvTag> tags = tagger.tag(AnnexB.join(List.of(SPS, PPS, idrSlice())), T0);
        assertThat(tags).hasSize(2);
        FlvTag header = tags.get(0);
        assertThat(header.sequenceHeader()).isTrue();
        assertThat(header.keyFrame()).isTrue();
        assertThat(BitWriter.hex(header.body())).isEqualTo("1700000000"
                + BitWriter.hex(AvcConfigRecord.encode(SPS, List.of(PPS))));
        FlvTag picture = tags.get(1);
        assertThat(picture.keyFrame()).isTrue();
        assertThat(picture.sequenceHeader()).isFalse();
        assertThat(picture.timestamp()).isZero();
        byte[] idr = idrSlice();
        assertThat(BitWriter.hex(picture.body())).isEqualTo("1701000000" + String.format("%08x", idr.length)
                + BitWriter.hex(idr));
    }

    @Test
    void dropsDelimitersFillerAndEndOfSequenceAndMovesParameterSetsOut() {
        AvcTagger tagger = new AvcTagger();
        byte[] au = AnnexB.join(List.of(AUD, SPS, PPS, SEI, idrSlice(), FILLER, END_OF_SEQUENCE));
        List<FlvTag> tags = tagger.tag(au, T0);
        assertThat(nalTypesOf(tags.get(1).bodyUnsafe())).containsExactly(6, 5);
    }

    @Test
    void dropsAndCountsPicturesBeforeTheFirstKeyFrame() {
        AvcTagger tagger = new AvcTagger();
        assertThat(tagger.tag(AnnexB.join(List.of(pSlice(1, 2))), T0)).isEmpty();
        assertThat(tagger.tag(AnnexB.join(List.of(SPS, PPS, pSlice(2, 2))), T0 + 40)).isEmpty();
        assertThat(tagger.droppedPictures()).isEqualTo(2);
        List<FlvTag> tags = tagger.tag(AnnexB.join(List.of(SPS, PPS, idrSlice())), T0 + 80);
        assertThat(tags).hasSize(2);
        assertThat(tags.get(1).timestamp()).isZero(); // the timeline starts at the first picture sent
    }

    @Test
    void sendsTheSequenceHeaderOnlyOnceWhileParameterSetsRepeat() {
        AvcTagger tagger = new AvcTagger();
        tagger.tag(AnnexB.join(List.of(SPS, PPS, idrSlice())), T0);
        List<FlvTag> p = tagger.tag(AnnexB.join(List.of(pSlice(1, 2))), T0 + 40);
        List<FlvTag> again = tagger.tag(AnnexB.join(List.of(SPS, PPS, idrSlice())), T0 + 80);
        assertThat(p).hasSize(1);
        assertThat(p.get(0).keyFrame()).isFalse();
        assertThat(p.get(0).bodyUnsafe()[0]).isEqualTo((byte) 0x27);
        assertThat(p.get(0).timestamp()).isEqualTo(40);
        assertThat(again).hasSize(1);
        assertThat(tagger.sequenceHeaders()).isEqualTo(1);
    }

    @Test
    void resendsTheSequenceHeaderWhenTheSpsChangesAndWaitsForTheNextIdr() {
        AvcTagger tagger = new AvcTagger();
        tagger.tag(AnnexB.join(List.of(SPS, PPS, idrSlice())), T0);
        byte[] newSps = new BitWriter().u(8, 66).u(8, 0xC0).u(8, 40).ue(0).ue(0).ue(2).ue(1).flag(false).ue(119)
                .ue(67).flag(true).flag(true).flag(false).flag(false).nal(0x67);
        assertThat(tagger.tag(AnnexB.join(List.of(newSps, pSlice(1, 2))), T0 + 40)).isEmpty();
        List<FlvTag> tags = tagger.tag(AnnexB.join(List.of(newSps, PPS, idrSlice())), T0 + 80);
        assertThat(tags).hasSize(2);
        assertThat(tags.get(0).sequenceHeader()).isTrue();
        assertThat(tagger.activeSps().width()).isEqualTo(1920);
        assertThat(tagger.sequenceHeaders()).isEqualTo(2);
    }

    @Test
    void marksPicturesWithNalRefIdcZeroDisposable() {
        AvcTagger tagger = new AvcTagger();
        tagger.tag(AnnexB.join(List.of(SPS, PPS, idrSlice())), T0);
        assertThat(tagger.tag(AnnexB.join(List.of(pSlice(1, 0))), T0 + 40).get(0).disposable()).isTrue();
        assertThat(tagger.tag(AnnexB.join(List.of(pSlice(1, 2))), T0 + 80).get(0).disposable()).isFalse();
    }

    @Test
    void ignoresAnAccessUnitWithoutPicture() {
        AvcTagger tagger = new AvcTagger();
        assertThat(tagger.tag(AnnexB.join(List.of(SPS, PPS)), T0)).isEmpty();
        assertThat(tagger.tag(new byte[0], T0)).isEmpty();
        assertThat(tagger.droppedPictures()).isZero();
    }

    @Test
    void endOfSequenceIsTheFiveByteTag() {
        assertThat(BitWriter.hex(AvcTagger.endOfSequence(1234).body())).isEqualTo("1702000000");
    }

    @Test
    void baselineClipHasNoCompositionOffsets() {
        AvcTagger tagger = new AvcTagger();
        List<byte[]> units = AccessUnits.split(TestClips.bytes(TestClips.BASELINE), VideoCodec.H264);
        int pictures = 0;
        for (int i = 0; i < units.size(); i++) {
            for (FlvTag tag : tagger.tag(units.get(i), T0 + 40L * i)) {
                if (!tag.sequenceHeader()) {
                    assertThat(compositionTime(tag)).isZero();
                    assertThat(tag.timestamp()).isEqualTo(40L * i);
                    pictures++;
                }
            }
        }
        assertThat(pictures).isEqualTo(units.size());
    }

    @Test
    void bFrameClipGetsTheCompositionOffsetsFfmpegGives() {
        // ffmpeg encoding the same recipe straight to FLV writes CTS 80 120 40 120 40 160 40 40 for the first 8
        AvcTagger tagger = new AvcTagger();
        List<byte[]> units = AccessUnits.split(TestClips.bytes(TestClips.HIGH_BFRAMES), VideoCodec.H264);
        List<Integer> cts = new ArrayList<>();
        int disposable = 0;
        for (int i = 0; i < units.size(); i++) {
            for (FlvTag tag : tagger.tag(units.get(i), T0 + 40L * i)) {
                if (!tag.sequenceHeader()) {
                    cts.add(compositionTime(tag));
                    disposable += tag.disposable() ? 1 : 0;
                }
            }
        }
        assertThat(cts).hasSize(units.size());
        assertThat(cts.subList(0, 8)).containsExactly(80, 120, 40, 120, 40, 160, 40, 40);
        assertThat(disposable).isPositive();
    }
}
