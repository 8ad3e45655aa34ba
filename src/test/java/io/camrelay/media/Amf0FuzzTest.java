package io.camrelay.media;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.camrelay.testing.FuzzContract;
import io.camrelay.testing.ShortFuzz;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target of the AMF0 reader (AMF0 §2): any input decodes into values or fails with
 * {@link Amf0FormatException}, within its nesting limit and at a memory cost proportional to the input; what decodes
 * encodes again.
 */
class Amf0FuzzTest {

    static final FuzzContract CONTRACT = FuzzContract.of("Amf0Reader", 64 * 1024, 256, input -> {
        List<Object> values = Amf0Reader.decode(input);
        for (Object value : values) {
            Amf0Writer.encode(value); // what the reader returns is what the writer takes
        }
    }, Amf0FormatException.class);

    @FuzzTest
    void amf0(byte[] input) {
        CONTRACT.check(input);
    }

    @Test
    void mutationsOfTheStoredCorpusKeepTheContract() {
        ShortFuzz.run(getClass(), "amf0", CONTRACT, ShortFuzz.DEFAULT_EXECUTIONS);
    }
}
