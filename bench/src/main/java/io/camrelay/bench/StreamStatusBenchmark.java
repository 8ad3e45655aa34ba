package io.camrelay.bench;

import io.camrelay.streams.Destination;
import io.camrelay.streams.DestinationTracker;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamSource;
import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.streams.StreamTracker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-frame status bookkeeping (StreamTracker.onFrame + one destination's onFrameSent) that runs on the camera
 * and RTMP event loops: it must stay in the tens of nanoseconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StreamStatusBenchmark {

    private StreamTracker tracker;
    private DestinationTracker destination;
    private StreamStatusRegistry registry;
    private long pictureMs;

    @Setup
    public void setUp() {
        registry = new StreamStatusRegistry();
        tracker = registry.define(new StreamDefinition("lobby", "Lobby", "cam", null, true,
                List.of(new Destination("rtmp://127.0.0.1/live/key", false)), StreamSource.FILE));
        destination = tracker.destinations().get(0);
    }

    @Benchmark
    public long frameAccounting() {
        pictureMs += 40;
        tracker.onFrame(20_000, pictureMs % 2000 == 0, pictureMs);
        destination.onFrameSent(20_000);
        return pictureMs;
    }

    @Benchmark
    public Object statusSnapshot() {
        return registry.snapshot("lobby");
    }
}
