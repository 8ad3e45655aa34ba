package io.camrelay.media;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.camrelay.testing.FuzzContract;
import io.camrelay.testing.ShortFuzz;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target of the SPS, PPS and slice-header parsers (H.264 §7.3.2.1, §7.3.2.2, §7.3.3): any input parses into
 * values within the ranges the standard allows, or fails with {@link MediaFormatException}. The first byte chooses
 * what the rest is: 0 an SPS, 1 a PPS, 2 a slice header for the known parameter sets, otherwise Annex B holding an SPS,
 * a PPS and a slice that refers to them.
 */
class H264ParsersFuzzTest {

    private static final H264Sps KNOWN_SPS = H264Sps.parse(BitWriter.hex(H264SpsTest.SPS_1080P));
    private static final H264Pps KNOWN_PPS = H264Pps.parse(BitWriter.hex("68ebe3cb22c0"));

    /**
     * Each parameter set parsed costs a few KB of short-lived objects whatever its size (found by fuzzing: an input of
     * 117 SPS of 10 bytes each allocated 3.5 KB per SPS), so the bound per input byte is large; nothing is held.
     */
    static final FuzzContract CONTRACT = FuzzContract.of("H264Sps/H264Pps/H264SliceHeader", 256 * 1024, 1024,
            input -> {
                if (input.length == 0) {
                    return;
                }
                byte[] rest = Arrays.copyOfRange(input, 1, input.length);
                switch (input[0]) {
                    case 0 -> checkSps(H264Sps.parse(rest), input);
                    case 1 -> H264Pps.parse(rest);
                    case 2 -> H264SliceHeader.parse(rest, 0, rest.length, Map.of(KNOWN_PPS.ppsId(), KNOWN_PPS)::get,
                            Map.of(KNOWN_SPS.spsId(), KNOWN_SPS)::get);
                    default -> {
                        List<byte[]> nals = AnnexB.nalUnits(rest);
                        Map<Integer, H264Sps> sps = new HashMap<>();
                        Map<Integer, H264Pps> pps = new HashMap<>();
                        for (byte[] nal : nals) {
                            int type = H264Nal.type(nal[0]);
                            if (type == H264Nal.SPS) {
                                H264Sps s = H264Sps.parse(nal);
                                checkSps(s, input);
                                sps.put(s.spsId(), s);
                            } else if (type == H264Nal.PPS) {
                                H264Pps p = H264Pps.parse(nal);
                                pps.put(p.ppsId(), p);
                            } else if (H264Nal.isSlice(type)) {
                                H264SliceHeader.parse(nal, 0, nal.length, pps::get, sps::get);
                            }
                        }
                    }
                }
            }, MediaFormatException.class);

    private static void checkSps(H264Sps sps, byte[] input) {
        FuzzContract.require(sps.width() > 0 && sps.height() > 0 && sps.width() <= H264Sps.MAX_DIMENSION_MBS * 16
                && sps.height() <= 2 * H264Sps.MAX_DIMENSION_MBS * 16, "SPS size " + sps.width() + "x"
                + sps.height(), input);
    }

    @FuzzTest
    void h264Parsers(byte[] input) {
        CONTRACT.check(input);
    }

    @Test
    void mutationsOfTheStoredCorpusKeepTheContract() {
        ShortFuzz.run(getClass(), "h264Parsers", CONTRACT, ShortFuzz.DEFAULT_EXECUTIONS);
    }
}
