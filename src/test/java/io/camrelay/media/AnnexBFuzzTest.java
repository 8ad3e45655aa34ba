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

    static final FuzzContract CONTRACT = FuzzContract.of("AnnexB/AccessUnits", 64 * 1024, 16, input -> {
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
