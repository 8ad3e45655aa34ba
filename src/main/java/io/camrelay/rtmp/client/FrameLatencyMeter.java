package io.camrelay.rtmp.client;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Measures each video frame's time from receive to socket write for a {@link FrameLatencyListener} (or for nobody,
 * when it is null): receive times wait in {@link ReceiveTimes} while their frames are queued, each written frame's is
 * noted, and after the flush the whole pass is reported at once, the first frame of a publish flagged as its
 * start-up. Primitives only, nothing allocated per frame. Not thread-safe: the publisher's event loop only.
 */
final class FrameLatencyMeter {

    private final FrameLatencyListener listener;
    private final LongSupplier nanoClock;
    private final ReceiveTimes receiveTimes = new ReceiveTimes();
    /** Receive times of the frames written in the current drain pass, measured when they are flushed. */
    private long[] writtenReceiveNanos = new long[16];
    private int writtenCount;
    private boolean firstFrameOfPublish;

    /**
     * @param listener  told each measured frame's latency, or null to measure nothing
     * @param nanoClock the clock receive times were taken with ({@link System#nanoTime()})
     */
    FrameLatencyMeter(FrameLatencyListener listener, LongSupplier nanoClock) {
        this.listener = listener;
        this.nanoClock = nanoClock;
    }

    /** Remembers when {@code tag} was received, if it is a video frame and the time is known. */
    void received(FlvTag tag, long receiveNanos) {
        if (listener != null && receiveNanos != ReceiveTimes.NONE && isVideoFrame(tag)) {
            receiveTimes.add(tag.timestamp(), receiveNanos);
        }
    }

    /** A publish starts: its first written frame measures the start-up as well. */
    void publishStarted() {
        firstFrameOfPublish = true;
    }

    /** {@code tag} was written (not yet flushed). */
    void written(FlvTag tag) {
        if (listener != null && isVideoFrame(tag)) {
            noteWritten(receiveTimes.take(tag.timestamp()));
        }
    }

    /** After a flush: the frames written in this pass reached the socket now. */
    void flushed() {
        if (writtenCount == 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        for (int i = 0; i < writtenCount; i++) {
            listener.written(now - writtenReceiveNanos[i], firstFrameOfPublish && i == 0);
        }
        firstFrameOfPublish = false;
        writtenCount = 0;
    }

    private void noteWritten(long receiveNanos) {
        if (receiveNanos == ReceiveTimes.NONE) {
            firstFrameOfPublish = false;
            return;
        }
        if (writtenCount == writtenReceiveNanos.length) {
            writtenReceiveNanos = Arrays.copyOf(writtenReceiveNanos, writtenCount * 2);
        }
        writtenReceiveNanos[writtenCount++] = receiveNanos;
    }

    private static boolean isVideoFrame(FlvTag tag) {
        return tag.type() == FlvTagType.VIDEO && !tag.sequenceHeader();
    }
}
