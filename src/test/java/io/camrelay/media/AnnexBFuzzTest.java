package io.camrelay.media;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.camrelay.testing.FuzzContract;
import io.camrelay.testing.ShortFuzz;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target of the Annex B scanner and the access-unit splitter (docs/protocols.md §2.2): for any input they never
 * throw, every NAL unit lies inside the input after the one before it and is not empty, and what they return is no
 * larger than the input with 4-byte start codes.
 */
class AnnexBFuzzTest {

    /**
     * Linear in the input, 32 bytes per input byte: a NAL unit can be as short as 4 input bytes (a 3-byte start code
     * and its header), and each of the three results checked here (nalUnits and two splits) holds a {@code byte[]} per
     * unit (16-byte object header) and a reference to it; the stored corpus has an input of 3,925 bytes at 18.3.
     */
    static final FuzzContract CONTRACT = FuzzContract.of("AnnexB/AccessUnits", 64 * 1024, 32, input -> {
        int[] last = {0};
        long[] total = {0};
        AnnexB.forEachNalUnit(input, (from, to) -> {
            FuzzContract.require(from >= last[0] && from < to && to <= input.length, "NAL unit [" + from + ", " + to
                    + ") after " + last[0] + " in " + input.length + " bytes", input);
            last[0] = to;
            total[0] += to - from;
        });
        List<byte[]> units = AnnexB.nalUnits(input);
        FuzzContract.require(units.stream().mapToLong(u -> u.length).sum() == total[0], "nalUnits and "
                + "forEachNalUnit disagree", input);
        for (VideoCodec codec : List.of(VideoCodec.H264, VideoCodec.H265)) {
            long out = AccessUnits.split(input, codec).stream().mapToLong(u -> u.length).sum();
            FuzzContract.require(out <= total[0] + 4L * units.size(), "access units of " + out + " bytes from "
                    + units.size() + " NAL units of " + total[0] + " bytes", input);
        }
    });

    @FuzzTest
    void annexB(byte[] input) {
        CONTRACT.check(input);
    }

    @Test
    void mutationsOfTheStoredCorpusKeepTheContract() {
        ShortFuzz.run(getClass(), "annexB", CONTRACT, ShortFuzz.DEFAULT_EXECUTIONS);
    }
}
