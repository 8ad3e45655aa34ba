package io.camrelay.bench;

import io.camrelay.imageserver.codec.ImageServerRequests;
import io.camrelay.media.Amf0Writer;
import io.camrelay.media.SilentAac;
import io.camrelay.vms.VmsConfiguration;
import io.camrelay.vms.VmsSession;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load benchmark's "limit" (issue 15): the least a relay of the same bytes can do, to measure CamRelay against.
 * Per camera it opens one ImageServer connection to the simulator ({@code connect} with a VMS token, {@code live}) and
 * one RTMP connection to nginx (handshake; {@code connect}, {@code createStream} and {@code publish} sent at once;
 * media only after {@code NetStream.Publish.Start}), both on the same Netty event loop, and for every ImageResponse
 * body it writes one RTMP video message of the body's size (the 32-byte GenericByteData header replaced by the 5-byte
 * FLV AVC header) chunked at 4096 bytes, flushed at once, followed by the silent AAC frames (the same constant 1024-
 * sample frames CamRelay sends) that bring the audio clock up to the picture's; time stamps count pictures at the
 * clip's 25 fps. The picture bytes go out as they came in: no Annex B scan or AVCC conversion, no parameter sets, no
 * sequence headers or metadata, no codec check, no Camel, no status or metrics, no reconnects or back-off. A picture
 * that arrives while the RTMP socket is not writable is dropped and counted (never queued).
 *
 * <pre>java -cp benchmarks.jar io.camrelay.bench.LimitRelay --vms URL --username U --password P
 *      --image-server-port P --cameras ids.txt --rtmp rtmp://127.0.0.1:1935/live/lim --dir d</pre>
 *
 * <p>Stream i publishes to {@code <rtmp>i}. Answers {@code report} on stdin with its counters (ControlLoop).
 */
public final class LimitRelay {

    static final int CHUNK_SIZE = 4096;
    static final int FPS_MS = 40;
    static final int GBD_HEADER = 32;
    static final int GBD_FLAGS_LOW_BYTE = 11;
    static final int CSID_COMMAND = 3;
    static final int CSID_AUDIO = 4;
    static final int CSID_VIDEO = 6;
    static final int MESSAGE_STREAM = 1;
    static final int HANDSHAKE = 1536;
    static final ByteBuf TERMINATOR = ascii(ImageServerRequests.TERMINATOR);
    static final ByteBuf CONTENT_LENGTH = ascii("Content-length: ");
    static final ByteBuf PUBLISH_START = ascii("NetStream.Publish.Start");
    static final byte[] AUDIO_BODY = SilentAac.DEFAULT.frameBody();

    static final LongAdder PICTURES = new LongAdder();
    static final LongAdder BYTES = new LongAdder();
    static final LongAdder DROPPED = new LongAdder();
    static final LongAdder PUBLISHING = new LongAdder();

    private LimitRelay() {
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII)));
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = new BenchArgs(argv);
        List<String> cameras = Files.readAllLines(Path.of(args.get("cameras"))).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        String rtmp = args.get("rtmp");
        int imageServerPort = args.getInt("image-server-port", 0);
        Path dir = Path.of(args.get("dir"));
        // logged in once, before any media, and kept open (closing it logs out, which revokes the token); the
        // session's token renewal is not part of what is measured (the token outlives a benchmark run)
        VmsSession vms = new VmsSession(VmsConfiguration.of(args.get("vms"), args.get("username"),
                args.get("password")));
        vms.login();
        String token = vms.vmsToken();
        EventLoopGroup group = new NioEventLoopGroup(); // Netty's default: 2 × cores, as CamRelay's groups
        try {
            for (int i = 0; i < cameras.size(); i++) {
                Camera camera = new Camera(cameras.get(i), token, rtmp, i);
                new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new ImageResponses(), camera);
                            }
                        }).connect("127.0.0.1", imageServerPort).sync();
            }
            ControlLoop.write(dir, "started", "{\"cameras\":" + cameras.size() + "}");
            ControlLoop.run(dir, command -> "{\"pictures\":" + PICTURES.sum() + ",\"bytes\":" + BYTES.sum()
                    + ",\"dropped\":" + DROPPED.sum() + ",\"publishing\":" + PUBLISHING.sum() + "}");
        } finally {
            group.shutdownGracefully().sync();
            vms.close();
        }
    }

    /**
     * Splits the ImageServer byte stream: an XML reply (up to CR LF CR LF) becomes {@link #XML}; an ImageResponse
     * head is skipped and its body (Content-length bytes) passed on as a retained slice, its terminator skipped.
     */
    static final class ImageResponses extends ByteToMessageDecoder {
        static final Object XML = new Object();
        private int body = -1;

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (true) {
                if (body >= 0) {
                    if (in.readableBytes() < body + TERMINATOR.readableBytes()) {
                        return;
                    }
                    out.add(in.readRetainedSlice(body));
                    in.skipBytes(TERMINATOR.readableBytes());
                    body = -1;
                    continue;
                }
                int end = indexOf(in, TERMINATOR, in.readerIndex(), in.writerIndex());
                if (end < 0) {
                    return;
                }
                int start = in.readerIndex();
                if (in.getByte(start) == 'I') {
                    int at = indexOf(in, CONTENT_LENGTH, start, end);
                    int length = 0;
                    for (int i = at + CONTENT_LENGTH.readableBytes(); i < end; i++) {
                        byte b = in.getByte(i);
                        if (b < '0' || b > '9') {
                            break;
                        }
                        length = length * 10 + (b - '0');
                    }
                    body = length;
                } else {
                    out.add(XML);
                }
                in.readerIndex(end + TERMINATOR.readableBytes());
            }
        }

        private static int indexOf(ByteBuf buf, ByteBuf needle, int from, int to) {
            int at = ByteBufUtil.indexOf(needle, buf.slice(from, to - from));
            return at < 0 ? -1 : from + at;
        }
    }

    /** One camera: its ImageServer channel (this handler) and its RTMP channel on the same event loop. */
    static final class Camera extends ChannelInboundHandlerAdapter {
        private final String cameraId;
        private final String token;
        private final String rtmpBase;
        private final int index;
        private Channel rtmp;
        private boolean publishing;
        private boolean liveSent;
        private long pictures;
        private long audioFrames;

        Camera(String cameraId, String token, String rtmpBase, int index) {
            this.cameraId = cameraId;
            this.token = token;
            this.rtmpBase = rtmpBase;
            this.index = index;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            RtmpUrlParts url = RtmpUrlParts.of(rtmpBase + index);
            Camera self = this;
            new Bootstrap().group(ctx.channel().eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new Publisher(url, self));
                        }
                    }).connect(url.host, url.port).addListener(f -> {
                        if (f.isSuccess()) {
                            ctx.writeAndFlush(Unpooled.copiedBuffer(ImageServerRequests.connect(1, cameraId, null,
                                    token), StandardCharsets.UTF_8));
                        } else {
                            System.err.println("limit: RTMP connect failed: " + f.cause());
                            ctx.close();
                        }
                    });
        }

        void published(Channel channel) {
            rtmp = channel;
            publishing = true;
            PUBLISHING.increment();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg == ImageResponses.XML) {
                if (!liveSent) { // the connect reply: ask for live
                    liveSent = true;
                    ctx.writeAndFlush(Unpooled.copiedBuffer(ImageServerRequests.live(2), StandardCharsets.UTF_8));
                }
                return;
            }
            ByteBuf packet = (ByteBuf) msg;
            try {
                if (!publishing || packet.readableBytes() <= GBD_HEADER) {
                    return;
                }
                if (!rtmp.isWritable()) {
                    DROPPED.increment();
                    return;
                }
                int timestamp = (int) (pictures++ * FPS_MS);
                boolean key = (packet.getByte(packet.readerIndex() + GBD_FLAGS_LOW_BYTE) & 1) != 0;
                ByteBuf payload = packet.slice(packet.readerIndex() + GBD_HEADER, packet.readableBytes() - GBD_HEADER);
                int written = writeVideo(rtmp, timestamp, key, payload);
                while (SilentAac.DEFAULT.timestampMs(audioFrames) <= timestamp) {
                    written += writeMessage(rtmp, CSID_AUDIO, 8, (int) SilentAac.DEFAULT.timestampMs(audioFrames++),
                            null, Unpooled.wrappedBuffer(AUDIO_BODY));
                }
                rtmp.flush();
                PICTURES.increment();
                BYTES.add(written);
            } finally {
                packet.release();
            }
        }

        private static int writeVideo(Channel ch, int timestamp, boolean key, ByteBuf payload) {
            byte[] head = {(byte) (key ? 0x17 : 0x27), 1, 0, 0, 0}; // AVC NALU, composition time 0
            return writeMessage(ch, CSID_VIDEO, 9, timestamp, head, payload);
        }

        /** One RTMP message (type-0 chunk header, type-3 headers every CHUNK_SIZE bytes) in one buffer, written. */
        static int writeMessage(Channel ch, int csid, int type, int timestamp, byte[] head, ByteBuf body) {
            int headLength = head == null ? 0 : head.length;
            int length = headLength + body.readableBytes();
            int chunks = (length + CHUNK_SIZE - 1) / CHUNK_SIZE;
            ByteBuf out = ch.alloc().directBuffer(12 + length + chunks - 1);
            out.writeByte(csid).writeMedium(timestamp).writeMedium(length).writeByte(type).writeIntLE(MESSAGE_STREAM);
            int inChunk = 0;
            if (head != null) {
                out.writeBytes(head);
                inChunk = head.length;
            }
            int from = body.readerIndex();
            int left = body.readableBytes();
            while (left > 0) {
                if (inChunk == CHUNK_SIZE) {
                    out.writeByte(0xC0 | csid);
                    inChunk = 0;
                }
                int n = Math.min(left, CHUNK_SIZE - inChunk);
                out.writeBytes(body, from, n);
                from += n;
                left -= n;
                inChunk += n;
            }
            int bytes = out.readableBytes();
            ch.write(out, ch.voidPromise());
            return bytes;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            System.err.println("limit: ImageServer connection of camera " + cameraId + " closed");
            if (rtmp != null) {
                rtmp.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("limit: camera " + cameraId + ": " + cause);
            ctx.close();
        }
    }

    /** rtmp://host:port/app/key, split. */
    record RtmpUrlParts(String host, int port, String app, String key, String tcUrl) {
        static RtmpUrlParts of(String url) {
            String rest = url.substring("rtmp://".length());
            String hostPort = rest.substring(0, rest.indexOf('/'));
            String path = rest.substring(hostPort.length() + 1);
            String app = path.substring(0, path.indexOf('/'));
            String key = path.substring(app.length() + 1);
            int colon = hostPort.indexOf(':');
            return new RtmpUrlParts(colon < 0 ? hostPort : hostPort.substring(0, colon),
                    colon < 0 ? 1935 : Integer.parseInt(hostPort.substring(colon + 1)), app, key,
                    "rtmp://" + hostPort + "/" + app);
        }
    }

    /**
     * The publishing side: simple handshake (C0 C1, S0 S1 S2, C2), then set chunk size, connect, createStream and
     * publish at once; waits for NetStream.Publish.Start in the reply bytes, then discards everything it receives.
     */
    static final class Publisher extends ChannelInboundHandlerAdapter {
        private final RtmpUrlParts url;
        private final Camera camera;
        private ByteBuf received;
        private boolean handshaken;
        private boolean started;

        Publisher(RtmpUrlParts url, Camera camera) {
            this.url = url;
            this.camera = camera;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            received = ctx.alloc().heapBuffer();
            ByteBuf c0c1 = ctx.alloc().buffer(1 + HANDSHAKE);
            c0c1.writeByte(3).writeInt(0).writeInt(0);
            byte[] random = new byte[HANDSHAKE - 8];
            ThreadLocalRandom.current().nextBytes(random);
            c0c1.writeBytes(random);
            ctx.writeAndFlush(c0c1);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (started) {
                in.release(); // acknowledgements and the like: nothing a zero-logic publisher needs
                return;
            }
            received.writeBytes(in);
            in.release();
            if (!handshaken) {
                if (received.readableBytes() < 1 + 2 * HANDSHAKE) {
                    return;
                }
                handshaken = true;
                ByteBuf c2 = ctx.alloc().buffer(HANDSHAKE).writeBytes(received, 1, HANDSHAKE); // echo S1
                received.skipBytes(1 + 2 * HANDSHAKE);
                received.discardReadBytes();
                ctx.write(c2);
                ByteBuf chunkSize = ctx.alloc().buffer(16); // Set Chunk Size: control stream 2, message stream 0
                chunkSize.writeByte(2).writeMedium(0).writeMedium(4).writeByte(1).writeIntLE(0).writeInt(CHUNK_SIZE);
                ctx.write(chunkSize);
                Map<String, Object> connect = new LinkedHashMap<>();
                connect.put("app", url.app());
                connect.put("type", "nonprivate");
                connect.put("flashVer", "FMLE/3.0 (compatible; camrelay-bench-limit)");
                connect.put("tcUrl", url.tcUrl());
                command(ctx, 0, Amf0Writer.encode("connect", 1, connect));
                command(ctx, 0, Amf0Writer.encode("createStream", 2, null));
                command(ctx, MESSAGE_STREAM, Amf0Writer.encode("publish", 3, null, url.key(), "live"));
                ctx.flush();
            }
            if (ByteBufUtil.indexOf(PUBLISH_START, received) >= 0) {
                started = true;
                received.release();
                received = null;
                camera.published(ctx.channel());
            }
        }

        private static void command(ChannelHandlerContext ctx, int messageStream, byte[] amf) {
            ByteBuf out = ctx.alloc().buffer(12 + amf.length + amf.length / CHUNK_SIZE);
            // commands are far below the chunk size: one chunk each
            out.writeByte(CSID_COMMAND).writeMedium(0).writeMedium(amf.length).writeByte(20).writeIntLE(messageStream);
            out.writeBytes(amf);
            ctx.write(out);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            System.err.println("limit: RTMP connection " + url.key() + " closed");
            if (received != null) {
                ReferenceCountUtil.release(received);
                received = null;
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("limit: RTMP " + url.key() + ": " + cause);
            ctx.close();
        }
    }
}
