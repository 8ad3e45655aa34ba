package io.camrelay.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void readsTheThreeFormsOfOneRange() {
        assertThat(ByteRange.parse("bytes=100-199", 1000)).isEqualTo(new ByteRange(100, 199));
        assertThat(ByteRange.parse("bytes=900-", 1000)).isEqualTo(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-100", 1000)).isEqualTo(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=990-2000", 1000)).as("cut to the file").isEqualTo(new ByteRange(990, 999));
    }

    @Test
    void aRangeOutsideTheFileIsUnsatisfiableAndOthersMeanTheWholeFile() {
        assertThat(ByteRange.parse("bytes=1000-", 1000)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=5-4", 1000)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse(null, 1000)).isNull();
        assertThat(ByteRange.parse("bytes=0-1,5-6", 1000)).as("several ranges: the whole file").isNull();
        assertThat(ByteRange.parse("items=1-2", 1000)).isNull();
    }
}
