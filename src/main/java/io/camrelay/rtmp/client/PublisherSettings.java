package io.camrelay.rtmp.client;

import java.util.Objects;

/**
 * Everything one destination's publisher needs, fixed when the producer starts (the Camel endpoint's options).
 *
 * @param url                        where to publish
 * @param allowUntrustedCertificates rtmps: accept any certificate and host name (logged once as a warning)
 * @param connectTimeoutMillis       TCP connect (and TLS handshake) timeout
 * @param readTimeoutMillis          no-progress timeout: session setup or writes stalled this long → reconnect
 * @param chunkSize                  outgoing chunk size, sent first
 * @param dropDisposableAfterMillis  queued media time past which disposable frames are dropped
 * @param dropToKeyFrameAfterMillis  queued media time past which video is dropped up to the next key frame
 * @param maxQueuedBytes             hard cap on queued bytes, whatever the timestamps say
 * @param writeBufferLowWaterMark    Netty low water mark (bytes)
 * @param writeBufferHighWaterMark   Netty high water mark (bytes): above it the queue stops draining
 * @param backoffInitialMillis       first reconnect delay
 * @param backoffMaxMillis           reconnect delay cap
 * @param backoffResetAfterMillis    streaming this long resets the back-off
 * @param rejectionBackoffMillis     least delay after the server refused us
 * @param maxIncomingMessageSize     largest message accepted from the server
 * @param timestampOffset            ms added to every rebased timestamp (tests of the 0xFFFFFF boundary)
 * @param statusIntervalMillis       how often the listener gets a snapshot besides state changes
 * @param rotateIntervalMillis       republish at a key frame this often (make-before-break), 0 for never
 * @param streamId                   stream id for the MDC of log lines, or null
 * @param listener                   observer, or null
 */
public record PublisherSettings(RtmpUrl url, boolean allowUntrustedCertificates, long connectTimeoutMillis,
        long readTimeoutMillis, int chunkSize, long dropDisposableAfterMillis, long dropToKeyFrameAfterMillis,
        long maxQueuedBytes, int writeBufferLowWaterMark, int writeBufferHighWaterMark, long backoffInitialMillis,
        long backoffMaxMillis, long backoffResetAfterMillis, long rejectionBackoffMillis, int maxIncomingMessageSize,
        long timestampOffset, long statusIntervalMillis, long rotateIntervalMillis, String streamId,
        RtmpPublisherListener listener) {

    public PublisherSettings {
        Objects.requireNonNull(url, "url");
        positive("connectTimeout", connectTimeoutMillis);
        positive("readTimeout", readTimeoutMillis);
        if (chunkSize < 128 || chunkSize > 0xFFFFFF) {
            throw new IllegalArgumentException("chunkSize " + chunkSize + " is outside 128..16777215");
        }
        positive("dropDisposableAfter", dropDisposableAfterMillis);
        if (dropToKeyFrameAfterMillis < dropDisposableAfterMillis) {
            throw new IllegalArgumentException("dropToKeyFrameAfter (" + dropToKeyFrameAfterMillis
                    + " ms) must not be below dropDisposableAfter (" + dropDisposableAfterMillis + " ms)");
        }
        positive("maxQueuedBytes", maxQueuedBytes);
        if (writeBufferLowWaterMark < 1 || writeBufferHighWaterMark < writeBufferLowWaterMark) {
            throw new IllegalArgumentException("write buffer water marks must satisfy 0 < low (" + writeBufferLowWaterMark
                    + ") <= high (" + writeBufferHighWaterMark + ")");
        }
        positive("backoffInitialDelay", backoffInitialMillis);
        if (backoffMaxMillis < backoffInitialMillis) {
            throw new IllegalArgumentException("backoffMaxDelay (" + backoffMaxMillis
                    + " ms) must not be below backoffInitialDelay (" + backoffInitialMillis + " ms)");
        }
        positive("backoffResetAfter", backoffResetAfterMillis);
        positive("rejectionBackoffDelay", rejectionBackoffMillis);
        positive("maxIncomingMessageSize", maxIncomingMessageSize);
        if (timestampOffset < 0 || timestampOffset >= RtmpPublisher.REPUBLISH_AFTER_MILLIS) {
            throw new IllegalArgumentException("timestampOffset " + timestampOffset + " is outside 0.."
                    + (RtmpPublisher.REPUBLISH_AFTER_MILLIS - 1) + " (7 days, when a planned republish restarts "
                    + "the timeline)");
        }
        positive("statusInterval", statusIntervalMillis);
        if (rotateIntervalMillis < 0) {
            throw new IllegalArgumentException("rotateInterval must not be negative (0: never), got "
                    + rotateIntervalMillis);
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
