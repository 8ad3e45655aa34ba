package io.camrelay.media;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.camrelay.testing.FuzzContract;
import io.camrelay.testing.ShortFuzz;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target of the GenericByteData header parser (docs/protocols.md §2.1): any input parses into a header whose
 * lengths lie within the input, or fails with {@link MediaFormatException}; nothing is copied.
 */
class GenericByteDataFuzzTest {

    static final FuzzContract CONTRACT = FuzzContract.of("GenericByteData.parse", 64 * 1024, 0, input -> {
        GenericByteData g = GenericByteData.parse(input);
        FuzzContract.require(g.payloadLength() >= 0 && g.payloadLength() <= input.length
                - GenericByteData.HEADER_LENGTH, "payload length " + g.payloadLength() + " outside the input", input);
        FuzzContract.require(g.codec() != null, "no codec", input);
    }, MediaFormatException.class);

    @FuzzTest
    void genericByteData(byte[] input) {
        CONTRACT.check(input);
    }

    @Test
    void mutationsOfTheStoredCorpusKeepTheContract() {
        ShortFuzz.run(getClass(), "genericByteData", CONTRACT, ShortFuzz.DEFAULT_EXECUTIONS);
    }
}
