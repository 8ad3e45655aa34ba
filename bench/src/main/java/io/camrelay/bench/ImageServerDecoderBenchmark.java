package io.camrelay.bench;

import io.camrelay.imageserver.codec.ImageServerDecoder;
import io.camrelay.imageserver.codec.ImageServerLimits;
import io.camrelay.media.GenericByteData;
import io.camrelay.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost per picture of the ImageServer decoder on a 1080p-like live stream: GenericByteData pictures of
 * {@code pictureBytes} (20 KB ≈ 4 Mbit/s at 25 fps) in ImageResponses, with a livepackage every 75 pictures, arriving
 * in 64 KiB socket reads. One operation = one picture decoded and copied out of Netty.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ImageServerDecoderBenchmark {

    private static final int PICTURES = 150;
    private static final int READ_SIZE = 64 * 1024;

    @Param({"20000", "200000"})
    public int pictureBytes;

    private byte[] stream;
    private EmbeddedChannel channel;

    @Setup(Level.Trial)
    public void makeStream() {
        Random random = new Random(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < PICTURES; i++) {
            byte[] payload = new byte[pictureBytes - GenericByteData.HEADER_LENGTH];
            random.nextBytes(payload);
            byte[] packet = GenericByteData.encode(VideoCodec.H264.id(), i, i % 50 == 0, 1_700_000_000_000L,
                    1_700_000_000_000L + 40L * i, payload);
            out.writeBytes(("ImageResponse\r\nRequestId: 1\r\nPrev: 1\r\nCurrent: 2\r\nNext: 3\r\nPrivacyMask: none\r\n"
                    + "Content-length: " + packet.length + "\r\nContent-type: application/x-genericbytedata-octet-stream"
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(packet);
            out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (i % 75 == 0) {
                out.writeBytes(("<?xml version=\"1.0\" encoding=\"utf-8\"?><livepackage><status><statustime>1"
                        + "</statustime><statusitem id=\"1\" value=\"1\" /></status></livepackage>\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
        stream = out.toByteArray();
        channel = new EmbeddedChannel(new ImageServerDecoder(ImageServerLimits.DEFAULTS));
    }

    @TearDown(Level.Trial)
    public void close() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    @OperationsPerInvocation(PICTURES)
    public void decodePictures(Blackhole hole) {
        for (int offset = 0; offset < stream.length; offset += READ_SIZE) {
            int length = Math.min(READ_SIZE, stream.length - offset);
            ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(length);
            read.writeBytes(stream, offset, length);
            channel.writeInbound(read);
            for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
                hole.consume(m);
            }
        }
    }
}
