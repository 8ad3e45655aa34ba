package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.camrelay.testing.TestClips;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property test of every parser on thousands of generated inputs (style.md rule 18): random, truncated, bit-flipped
 * and oversized input either parses or fails with {@link MediaFormatException}, never anything else, never hangs.
 */
class MediaFuzzTest {

    private static final int ROUNDS = 3000;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** Runs {@code parse} and tells whether it failed with a MediaFormatException; anything else fails the test. */
    private static boolean survives(String what, byte[] input, Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (MediaFormatException expected) {
            return false;
        } catch (Throwable t) {
            throw new AssertionError(what + " threw " + t + " for input " + BitWriter.hex(
                    Arrays.copyOf(input, Math.min(input.length, 64))), t);
        }
    }

    private static byte[] random(Random random, int maxLength) {
        byte[] b = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(b);
        return b;
    }

    /** Truncates, flips bits, repeats or extends {@code valid}. */
    private static byte[] mutate(Random random, byte[] valid) {
        byte[] b;
        switch (random.nextInt(4)) {
            case 0 -> b = Arrays.copyOf(valid, random.nextInt(valid.length + 1));
            case 1 -> {
                b = valid.clone();
                for (int i = random.nextInt(8) + 1; i > 0 && b.length > 0; i--) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> {
                b = Arrays.copyOf(valid, valid.length + random.nextInt(4096));
                for (int i = valid.length; i < b.length; i++) {
                    b[i] = (byte) random.nextInt(256);
                }
            }
            default -> {
                b = valid.clone();
                if (b.length > 0) {
                    int from = random.nextInt(b.length);
                    Arrays.fill(b, from, Math.min(b.length, from + random.nextInt(64)), (byte) random.nextInt(4));
                }
            }
        }
        return b;
    }

    @Test
    void genericByteDataParseFailsOnlyWithMediaFormatException() {
        Random random = new Random(1);
        byte[] valid = GenericByteData.encode(0x0A, 7, true, 1L, 2L, new byte[100]);
        assertTimeoutPreemptively(LIMIT, () -> {
            int parsed = 0;
            for (int i = 0; i < ROUNDS; i++) {
                byte[] input = i % 2 == 0 ? random(random, 80) : mutate(random, valid);
                if (i % 7 == 0 && input.length >= 6) {
                    input[2] = (byte) 0xFF; // oversized total length
                }
                byte[] in = input;
                parsed += survives("GenericByteData.parse", in, () -> GenericByteData.parse(in)) ? 1 : 0;
            }
            assertThat(parsed).isPositive();
        });
    }

    @Test
    void annexBAndAccessUnitsNeverThrow() {
        Random random = new Random(2);
        byte[] clip = Arrays.copyOf(TestClips.bytes(TestClips.BASELINE), 20_000);
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int i = 0; i < ROUNDS; i++) {
                byte[] input = i % 2 == 0 ? random(random, 200) : mutate(random, clip);
                for (int j = 0; j < input.length; j += 1 + random.nextInt(3)) {
                    input[j] = (byte) random.nextInt(2); // many zeros and ones: start-code-like patterns
                }
                List<byte[]> units = AnnexB.nalUnits(input);
                assertThat(units).allSatisfy(u -> assertThat(u).isNotEmpty());
                AccessUnits.split(input, VideoCodec.H264);
            }
        });
    }

    @Test
    void parameterSetAndSliceParsersFailOnlyWithMediaFormatException() {
        Random random = new Random(3);
        List<byte[]> sps = List.of(BitWriter.hex(H264SpsTest.SPS_1080P), BitWriter.hex(H264SpsTest.SPS_718X402),
                BitWriter.hex(H264SpsTest.SPS_BASELINE_360P), BitWriter.hex(H264SpsTest.SPS_HIGH444_360P));
        byte[] pps = BitWriter.hex("68ebe3cb22c0");
        Map<Integer, H264Sps> spsById = Map.of(0, H264Sps.parse(sps.get(0)));
        Map<Integer, H264Pps> ppsById = Map.of(0, H264Pps.parse(pps));
        List<byte[]> units = AccessUnits.split(Arrays.copyOf(TestClips.bytes(TestClips.HIGH_BFRAMES), 40_000),
                VideoCodec.H264);
        assertTimeoutPreemptively(LIMIT, () -> {
            int parsed = 0;
            for (int i = 0; i < ROUNDS; i++) {
                byte[] s = i % 3 == 0 ? random(random, 40) : mutate(random, sps.get(i % sps.size()));
                if (s.length > 0 && i % 2 == 0) {
                    s[0] = 0x67;
                }
                parsed += survives("H264Sps.parse", s, () -> H264Sps.parse(s)) ? 1 : 0;
                byte[] p = mutate(random, pps);
                survives("H264Pps.parse", p, () -> H264Pps.parse(p));
                byte[] slice = mutate(random, AnnexB.nalUnits(units.get(i % units.size())).stream()
                        .filter(n -> H264Nal.isSlice(H264Nal.type(n[0]))).findFirst().orElseThrow());
                survives("H264SliceHeader.parse", slice,
                        () -> H264SliceHeader.parse(slice, 0, slice.length, ppsById::get, spsById::get));
            }
            assertThat(parsed).isPositive();
        });
    }

    @Test
    void taggerFailsOnlyWithMediaFormatExceptionAndKeepsWorking() {
        Random random = new Random(4);
        List<byte[]> units = AccessUnits.split(TestClips.bytes(TestClips.HIGH_BFRAMES), VideoCodec.H264);
        assertTimeoutPreemptively(LIMIT, () -> {
            AvcTagger tagger = new AvcTagger();
            int tagged = 0;
            for (int i = 0; i < ROUNDS; i++) {
                byte[] unit = units.get(i % units.size());
                byte[] input = switch (i % 4) {
                    case 0 -> unit;
                    case 1 -> random(random, 300);
                    default -> mutate(random, unit);
                };
                long time = 1_000_000L + 40L * i + (i % 50 == 0 ? random.nextInt() : 0);
                tagged += survives("AvcTagger.tag", input, () -> tagger.tag(input, time)) ? 1 : 0;
            }
            assertThat(tagged).isPositive();
        });
    }
}
