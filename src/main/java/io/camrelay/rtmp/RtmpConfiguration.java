package io.camrelay.rtmp;

import io.camrelay.rtmp.client.RtmpPublisherListener;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** Options of an {@code rtmp:}/{@code rtmps:} endpoint. */
@UriParams
public class RtmpConfiguration implements Cloneable {

    @UriParam(label = "security", secret = true)
    @Metadata(secret = true)
    private String streamKey;
    @UriParam(label = "security", defaultValue = "false")
    private boolean allowUntrustedCertificates;
    @UriParam(defaultValue = RtmpConstants.DEFAULT_CONNECT_TIMEOUT, javaType = "java.time.Duration")
    private long connectTimeout = Long.parseLong(RtmpConstants.DEFAULT_CONNECT_TIMEOUT);
    @UriParam(defaultValue = RtmpConstants.DEFAULT_READ_TIMEOUT, javaType = "java.time.Duration")
    private long readTimeout = Long.parseLong(RtmpConstants.DEFAULT_READ_TIMEOUT);
    @UriParam(label = "advanced", defaultValue = RtmpConstants.DEFAULT_CHUNK_SIZE)
    private int chunkSize = Integer.parseInt(RtmpConstants.DEFAULT_CHUNK_SIZE);
    @UriParam(label = "advanced", defaultValue = RtmpConstants.DEFAULT_DROP_DISPOSABLE_AFTER,
              javaType = "java.time.Duration")
    private long dropDisposableAfter = Long.parseLong(RtmpConstants.DEFAULT_DROP_DISPOSABLE_AFTER);
    @UriParam(label = "advanced", defaultValue = RtmpConstants.DEFAULT_DROP_TO_KEY_FRAME_AFTER,
              javaType = "java.time.Duration")
    private long dropToKeyFrameAfter = Long.parseLong(RtmpConstants.DEFAULT_DROP_TO_KEY_FRAME_AFTER);
    @UriParam(label = "advanced", defaultValue = RtmpConstants.DEFAULT_MAX_QUEUED_BYTES)
    private long maxQueuedBytes = Long.parseLong(RtmpConstants.DEFAULT_MAX_QUEUED_BYTES);
    @UriParam(label = "advanced", defaultValue = RtmpConstants.DEFAULT_WRITE_BUFFER_LOW_WATER_MARK)
    private int writeBufferLowWaterMark = Integer.parseInt(RtmpConstants.DEFAULT_WRITE_BUFFER_LOW_WATER_MARK);
    @UriParam(label = "advanced", defaultValue = RtmpConstants.DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK)
    private int writeBufferHighWaterMark = Integer.parseInt(RtmpConstants.DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK);
    @UriParam(defaultValue = RtmpConstants.DEFAULT_BACKOFF_INITIAL_DELAY, javaType = "java.time.Duration")
    private long backoffInitialDelay = Long.parseLong(RtmpConstants.DEFAULT_BACKOFF_INITIAL_DELAY);
    @UriParam(defaultValue = RtmpConstants.DEFAULT_BACKOFF_MAX_DELAY, javaType = "java.time.Duration")
    private long backoffMaxDelay = Long.parseLong(RtmpConstants.DEFAULT_BACKOFF_MAX_DELAY);
    @UriParam(defaultValue = RtmpConstants.DEFAULT_BACKOFF_RESET_AFTER, javaType = "java.time.Duration")
    private long backoffResetAfter = Long.parseLong(RtmpConstants.DEFAULT_BACKOFF_RESET_AFTER);
    @UriParam(defaultValue = RtmpConstants.DEFAULT_REJECTION_BACKOFF_DELAY, javaType = "java.time.Duration")
    private long rejectionBackoffDelay = Long.parseLong(RtmpConstants.DEFAULT_REJECTION_BACKOFF_DELAY);
    @UriParam(label = "advanced", defaultValue = RtmpConstants.DEFAULT_MAX_INCOMING_MESSAGE_SIZE)
    private int maxIncomingMessageSize = Integer.parseInt(RtmpConstants.DEFAULT_MAX_INCOMING_MESSAGE_SIZE);
    @UriParam(label = "advanced", defaultValue = "0")
    private long timestampOffset;
    @UriParam(label = "advanced", defaultValue = RtmpConstants.DEFAULT_STATUS_INTERVAL, javaType = "java.time.Duration")
    private long statusInterval = Long.parseLong(RtmpConstants.DEFAULT_STATUS_INTERVAL);
    @UriParam(defaultValue = RtmpConstants.DEFAULT_ROTATE_INTERVAL, javaType = "java.time.Duration")
    private long rotateInterval = Long.parseLong(RtmpConstants.DEFAULT_ROTATE_INTERVAL);
    @UriParam(label = "advanced")
    private String streamId;
    @UriParam(label = "advanced")
    private RtmpPublisherListener publisherListener;

    public String getStreamKey() {
        return streamKey;
    }

    /**
     * The stream key, when the URL names only the server and application (as OBS takes them: server
     * rtmps://a.rtmps.youtube.com/live2 plus the key). Wrap keys holding '&amp;' or '+' in RAW(...). Never logged.
     */
    public void setStreamKey(String streamKey) {
        this.streamKey = streamKey;
    }

    public boolean isAllowUntrustedCertificates() {
        return allowUntrustedCertificates;
    }

    /**
     * For rtmps: accept any certificate and any host name for this destination only (a self-signed server).
     * Logged once as a warning. Off by default: certificates and host names are verified.
     */
    public void setAllowUntrustedCertificates(boolean allowUntrustedCertificates) {
        this.allowUntrustedCertificates = allowUntrustedCertificates;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    /** How long to wait for the TCP connection and TLS handshake, in ms. */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getReadTimeout() {
        return readTimeout;
    }

    /**
     * No-progress timeout in ms: the session is given up and republished when the server has not completed the
     * handshake, answered the publish commands, or accepted any data for this long.
     */
    public void setReadTimeout(long readTimeout) {
        this.readTimeout = readTimeout;
    }

    public int getChunkSize() {
        return chunkSize;
    }

    /** The outgoing RTMP chunk size, announced with Set Chunk Size before connect. */
    public void setChunkSize(int chunkSize) {
        this.chunkSize = chunkSize;
    }

    public long getDropDisposableAfter() {
        return dropDisposableAfter;
    }

    /** When more than this much media time (ms) waits to be sent, disposable (non-reference) frames are dropped. */
    public void setDropDisposableAfter(long dropDisposableAfter) {
        this.dropDisposableAfter = dropDisposableAfter;
    }

    public long getDropToKeyFrameAfter() {
        return dropToKeyFrameAfter;
    }

    /**
     * When more than this much media time (ms) waits to be sent, queued video is dropped and video resumes at the
     * next key frame; audio is kept.
     */
    public void setDropToKeyFrameAfter(long dropToKeyFrameAfter) {
        this.dropToKeyFrameAfter = dropToKeyFrameAfter;
    }

    public long getMaxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** Hard cap of the send queue in bytes, whatever the timestamps say; past it video is dropped to a key frame. */
    public void setMaxQueuedBytes(long maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    public int getWriteBufferLowWaterMark() {
        return writeBufferLowWaterMark;
    }

    /** Netty write buffer low water mark in bytes: sending resumes when the socket buffer drains below it. */
    public void setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        this.writeBufferLowWaterMark = writeBufferLowWaterMark;
    }

    public int getWriteBufferHighWaterMark() {
        return writeBufferHighWaterMark;
    }

    /** Netty write buffer high water mark in bytes: above it frames wait in the (media-time bounded) queue. */
    public void setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        this.writeBufferHighWaterMark = writeBufferHighWaterMark;
    }

    public long getBackoffInitialDelay() {
        return backoffInitialDelay;
    }

    /** First delay (ms) before republishing after a loss; doubles per failed attempt, with ±20% jitter. */
    public void setBackoffInitialDelay(long backoffInitialDelay) {
        this.backoffInitialDelay = backoffInitialDelay;
    }

    public long getBackoffMaxDelay() {
        return backoffMaxDelay;
    }

    /** Longest delay (ms) between republish attempts. */
    public void setBackoffMaxDelay(long backoffMaxDelay) {
        this.backoffMaxDelay = backoffMaxDelay;
    }

    public long getBackoffResetAfter() {
        return backoffResetAfter;
    }

    /** After streaming this long (ms) without a loss, the next loss starts again at the initial delay. */
    public void setBackoffResetAfter(long backoffResetAfter) {
        this.backoffResetAfter = backoffResetAfter;
    }

    public long getRejectionBackoffDelay() {
        return rejectionBackoffDelay;
    }

    /**
     * Least delay (ms) before retrying after the server refused the session (BadName, rejected connect or
     * publish, untrusted certificate): retrying a refused key at once only earns more refusals.
     */
    public void setRejectionBackoffDelay(long rejectionBackoffDelay) {
        this.rejectionBackoffDelay = rejectionBackoffDelay;
    }

    public int getMaxIncomingMessageSize() {
        return maxIncomingMessageSize;
    }

    /**
     * Largest RTMP message accepted from the server, in bytes; a larger one closes the connection. The partial
     * messages of one connection may together hold at most twice this (and at most 16 be in progress at once).
     */
    public void setMaxIncomingMessageSize(int maxIncomingMessageSize) {
        this.maxIncomingMessageSize = maxIncomingMessageSize;
    }

    public long getTimestampOffset() {
        return timestampOffset;
    }

    /**
     * Milliseconds added to every outgoing timestamp after rebasing to 0 (below 7 days, when the publisher
     * republishes at a key frame to restart its timeline). Meant for testing a server's handling of long-running
     * streams (extended timestamps start at 16777215 ms, after 4 h 39 min).
     */
    public void setTimestampOffset(long timestampOffset) {
        this.timestampOffset = timestampOffset;
    }

    public long getStatusInterval() {
        return statusInterval;
    }

    /** How often (ms) the publisher listener receives a status snapshot besides every state change. */
    public void setStatusInterval(long statusInterval) {
        this.statusInterval = statusInterval;
    }

    public long getRotateInterval() {
        return rotateInterval;
    }

    /**
     * Republish at a key frame this often (ms; 0: never), for platforms that end or stop archiving long broadcasts
     * (YouTube archives at most 12 h, Facebook ends a live video at 8 h). The new publish is connected before the old
     * one closes and media switches to it at a key frame; a server that refuses a second publish on the same key gets
     * close-then-publish at a key frame instead, whose gap is the reconnect alone.
     */
    public void setRotateInterval(long rotateInterval) {
        this.rotateInterval = rotateInterval;
    }

    public String getStreamId() {
        return streamId;
    }

    /** The CamRelay stream this destination belongs to; put in the logging MDC as streamId. */
    public void setStreamId(String streamId) {
        this.streamId = streamId;
    }

    public RtmpPublisherListener getPublisherListener() {
        return publisherListener;
    }

    /**
     * Observer of this destination's state and counters (STARTING, STREAMING, RECONNECTING, ERROR, STOPPED; frames
     * and bytes sent, frames dropped, reconnects). Called on the connection's event loop: it must not block.
     */
    public void setPublisherListener(RtmpPublisherListener publisherListener) {
        this.publisherListener = publisherListener;
    }

    /** A copy for one endpoint. */
    public RtmpConfiguration copy() {
        try {
            return (RtmpConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
