package io.camrelay.bench;

import io.camrelay.media.FlvTag;
import io.camrelay.rtmp.chunk.RtmpChunkEncoder;
import io.camrelay.rtmp.chunk.RtmpMessage;
import io.camrelay.rtmp.message.RtmpControlMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * FlvTag → RTMP chunks (4096-byte chunks, fmt 2/3 headers as in a running stream) against a plain copy of the same
 * bytes into a ByteBuf: the chunking overhead is the difference. Sizes: a P frame of a 1 Mbit/s camera (4 KiB),
 * of a 4 Mbit/s one (16 KiB) and a 1080p key frame (128 KiB).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtmpChunkingBenchmark {

    @Param({"4096", "16384", "131072"})
    public int frameBytes;

    private FlvTag tag;
    private RtmpChunkEncoder encoder;
    private ByteBuf out;
    private long timestamp;

    @Setup
    public void setUp() {
        byte[] body = new byte[frameBytes];
        new Random(1).nextBytes(body);
        tag = FlvTag.video(0, false, false, false, body);
        encoder = new RtmpChunkEncoder();
        out = PooledByteBufAllocator.DEFAULT.directBuffer(frameBytes * 2);
        encoder.encode(RtmpControlMessages.setChunkSize(4096), out);
        out.clear();
    }

    @TearDown
    public void tearDown() {
        out.release();
    }

    /** Baseline: copy the body into the output buffer. */
    @Benchmark
    public ByteBuf copyOnly() {
        out.clear();
        out.writeBytes(tag.bodyUnsafe());
        return out;
    }

    /** The publisher's path: wrap the tag in a message and chunk it. */
    @Benchmark
    public ByteBuf chunk() {
        out.clear();
        timestamp = (timestamp + 40) & 0xFFFFFFFFL; // 32-bit RTMP time wraps
        encoder.encode(new RtmpMessage(6, tag.type().code(), timestamp, 1, tag.bodyUnsafe()), out);
        return out;
    }
}
