package io.camrelay.rtmp.client;

/**
 * The receive times of the video frames queued for one destination, by frame timestamp, so that the time from
 * receive to socket write can be measured without wrapping or copying the frames. Frames leave the queue in timestamp
 * order (dropped ones simply never come out), so the entries older than a written frame belong to dropped frames
 * and are discarded as the written one is found. A fixed ring of primitives: no allocation per frame; when full, the
 * oldest entry goes (that frame is then not measured). Not thread-safe: the publisher's event loop only.
 */
final class ReceiveTimes {

    /** No receive time known for a frame. */
    static final long NONE = Long.MIN_VALUE;
    /** About 10 s of 25 fps video: far more than the send queue holds (docs/protocols.md A10: 1 s before dropping). */
    static final int CAPACITY = 256;

    private final long[] timestamps = new long[CAPACITY];
    private final long[] receiveNanos = new long[CAPACITY];
    private int head;
    private int size;

    /** Remembers that the frame stamped {@code timestamp} (ms) was received at {@code nanos} (System.nanoTime()). */
    void add(long timestamp, long nanos) {
        if (size == CAPACITY) {
            head = (head + 1) % CAPACITY;
            size--;
        }
        int tail = (head + size) % CAPACITY;
        timestamps[tail] = timestamp;
        receiveNanos[tail] = nanos;
        size++;
    }

    /**
     * The receive time of the frame stamped {@code timestamp}, now written, or {@link #NONE}; the entry and those of
     * older (dropped) frames are removed, so each frame is measured at most once.
     */
    long take(long timestamp) {
        while (size > 0) {
            long ts = timestamps[head];
            if (ts > timestamp) {
                return NONE;
            }
            long nanos = receiveNanos[head];
            head = (head + 1) % CAPACITY;
            size--;
            if (ts == timestamp) {
                return nanos;
            }
        }
        return NONE;
    }

    int size() {
        return size;
    }
}
