package io.camrelay.rtmp;

import io.camrelay.support.MediaHeaders;
import org.apache.camel.spi.Metadata;

/** Names and defaults of the {@code rtmp}/{@code rtmps} component (one constant per default, style rule 22). */
public final class RtmpConstants {

    /**
     * Header read by the producer: {@link System#nanoTime()} when the frame was received upstream (the
     * {@code xprotect:} consumer sets it). When present, the time from receive to RTMP socket write is recorded in
     * {@value #LATENCY_METER} (issue 6).
     */
    @Metadata(label = "producer", description = "System.nanoTime() when the frame was received upstream (set by the "
            + "xprotect: consumer); when present, the time to the RTMP socket write is recorded", javaType = "long")
    public static final String RECEIVE_TIME_NANOS = MediaHeaders.RECEIVE_TIME_NANOS;
    /** Receive → RTMP socket write per video frame, all destinations (Prometheus camrelay_relay_latency_seconds). */
    public static final String LATENCY_METER = "camrelay.relay.latency";
    /**
     * Receive → RTMP socket write of the first key frame of each publish, waiting for the publish included
     * (Prometheus camrelay_relay_startup_seconds).
     */
    public static final String STARTUP_METER = "camrelay.relay.startup";

    /** Plain RTMP. */
    public static final String SCHEME_RTMP = "rtmp";
    /** RTMP inside TLS. */
    public static final String SCHEME_RTMPS = "rtmps";

    /** TCP connect and TLS handshake timeout, ms. */
    public static final String DEFAULT_CONNECT_TIMEOUT = "10000";
    /** No-progress timeout, ms (docs/protocols.md A10: reconnect after ~10 s without progress). */
    public static final String DEFAULT_READ_TIMEOUT = "10000";
    /** docs/protocols.md A2: OBS and go2rtc send 4096 first. */
    public static final String DEFAULT_CHUNK_SIZE = "4096";
    /** docs/protocols.md A10 (OBS): drop disposable frames past 700 ms queued. */
    public static final String DEFAULT_DROP_DISPOSABLE_AFTER = "700";
    /** docs/protocols.md A10: drop video to the next key frame past 1 s queued. */
    public static final String DEFAULT_DROP_TO_KEY_FRAME_AFTER = "1000";
    /** Hard cap of the send queue, bytes (about 8 s of a 4 Mbit/s camera; the time limits act long before). */
    public static final String DEFAULT_MAX_QUEUED_BYTES = "4194304";
    /** docs/protocols.md A10: Netty low water mark 256 KiB. */
    public static final String DEFAULT_WRITE_BUFFER_LOW_WATER_MARK = "262144";
    /** docs/protocols.md A10: Netty high water mark 1 MiB. */
    public static final String DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK = "1048576";
    /** docs/design.md §7: back-off from 1 s ... */
    public static final String DEFAULT_BACKOFF_INITIAL_DELAY = "1000";
    /** ... doubling to 60 s. */
    public static final String DEFAULT_BACKOFF_MAX_DELAY = "60000";
    /** A minute of healthy streaming resets the back-off. */
    public static final String DEFAULT_BACKOFF_RESET_AFTER = "60000";
    /** docs/protocols.md A10: back off longer after BadName or another refusal. */
    public static final String DEFAULT_REJECTION_BACKOFF_DELAY = "30000";
    /** nginx-rtmp's own max_message default (docs/protocols.md A2). */
    public static final String DEFAULT_MAX_INCOMING_MESSAGE_SIZE = "1048576";
    /** How often a listener gets a snapshot, ms. */
    public static final String DEFAULT_STATUS_INTERVAL = "1000";
    /** Default of {@code rotateInterval}: 0, never (a planned republish still happens after 7 days of timeline). */
    public static final String DEFAULT_ROTATE_INTERVAL = "0";

    private RtmpConstants() {
    }
}
