package io.camrelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Amf0ReaderTest {

    @Test
    void readsBackEveryTypeTheWriterWrites() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("level", "error");
        object.put("code", "NetStream.Publish.BadName");
        object.put("nested", Map.of("n", 1.5));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("width", 1920.0);
        meta.put("stereo", true);
        List<Object> values = Arrays.asList("onStatus", 0.0, null, object, new Amf0Writer.EcmaArray(meta),
                List.of("hvc1", 2.0), Amf0Writer.Undefined.INSTANCE, false, "x".repeat(70_000));

        List<Object> read = Amf0Reader.decode(Amf0Writer.encode(values.toArray()));

        assertThat(read).isEqualTo(values);
    }

    @Test
    void keepsTheWireOrderOfObjectProperties() {
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("z", 1.0);
        ordered.put("a", 2.0);

        Object read = new Amf0Reader(Amf0Writer.encode(ordered)).read();

        assertThat(new ArrayList<Object>(((Map<?, ?>) read).keySet())).containsExactly("z", "a");
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() {
        Object deep = "leaf";
        for (int i = 0; i < 5; i++) {
            deep = List.of(deep);
        }
        byte[] bytes = Amf0Writer.encode(deep);

        assertThat(new Amf0Reader(bytes, 5).read()).isEqualTo(deep);
        assertThatThrownBy(() -> new Amf0Reader(bytes, 4).read()).isInstanceOf(Amf0FormatException.class)
                .hasMessageContaining("nested deeper than the limit of 4 levels");
    }

    @Test
    void rejectsAHostileNestingOfAThousandArraysWithoutStackOverflow() {
        byte[] arrays = new byte[5 * 1000];
        for (int i = 0; i < 1000; i++) {
            arrays[i * 5] = Amf0Writer.STRICT_ARRAY;
            arrays[i * 5 + 4] = 1;
        }

        assertThatThrownBy(() -> Amf0Reader.decode(arrays)).isInstanceOf(Amf0FormatException.class)
                .hasMessageContaining("nested deeper");
    }

    @Test
    void rejectsAStringLongerThanTheBytesLeft() {
        byte[] bytes = {Amf0Writer.LONG_STRING, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 'a'};

        assertThatThrownBy(() -> Amf0Reader.decode(bytes)).isInstanceOf(Amf0FormatException.class)
                .hasMessage("AMF0 long string at offset 5 declares 2147483647 bytes/elements but only 1 bytes are left");
    }

    @Test
    void rejectsAnArrayCountLargerThanTheInputBeforeAllocating() {
        byte[] bytes = {Amf0Writer.STRICT_ARRAY, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

        assertThatThrownBy(() -> Amf0Reader.decode(bytes)).isInstanceOf(Amf0FormatException.class)
                .hasMessageContaining("strict array");
    }

    @Test
    void rejectsAnUnknownTypeMarkerNamingItAndItsOffset() {
        assertThatThrownBy(() -> Amf0Reader.decode(new byte[] {Amf0Writer.NULL, 0x11}))
                .isInstanceOf(Amf0FormatException.class)
                .hasMessageStartingWith("unsupported AMF0 type marker 0x11 at offset 1");
    }

    @Test
    void truncatedOrRandomInputDecodesOrFailsWithItsOwnExceptionOnly() {
        byte[] valid = Amf0Writer.encode("connect", 1.0, Map.of("app", "live", "tcUrl", "rtmp://h/live"),
                new Amf0Writer.EcmaArray(Map.of("k", List.of(1.0, "x"))));
        List<byte[]> inputs = new ArrayList<>();
        for (int n = 0; n < valid.length; n++) {
            inputs.add(Arrays.copyOf(valid, n));
        }
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] b = valid.clone();
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            inputs.add(b);
        }
        int refused = 0;
        for (byte[] input : inputs) {
            try {
                Amf0Reader.decode(input);
            } catch (Amf0FormatException expected) {
                // only our exception type (anything else fails the test), with a message saying what was wrong
                assertThat(expected.getMessage()).isNotBlank();
                refused++;
            }
        }
        assertThat(refused).as("the truncated inputs at least are refused").isGreaterThanOrEqualTo(valid.length / 2);
    }
}
