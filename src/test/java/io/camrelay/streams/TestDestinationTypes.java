package io.camrelay.streams;

import io.camrelay.app.RtmpDestinationType;
import java.util.List;

/** The destination types the application wires (RTMP and FLV files), for tests of the definitions. */
final class TestDestinationTypes {

    private TestDestinationTypes() {
    }

    static DestinationTypes standard() {
        return new DestinationTypes(List.of(new RtmpDestinationType(), new FlvFileDestinationType()));
    }
}
