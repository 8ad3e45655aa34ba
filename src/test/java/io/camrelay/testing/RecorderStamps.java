package io.camrelay.testing;

/**
 * Picture times as a real 2025 R3 recorder stamps a camera's pictures (reference §1.7): in decode order with their
 * arrival times, which for B-frame streams bunch up per mini-GOP — each I/P picture arrives when the picture with the
 * highest display position so far was captured, its B-frames {@value #BURST_STEP_MS} ms apart behind it. Written
 * here from the reference for the product's tests, apart from the simulator's and the product's code.
 */
public final class RecorderStamps {

    /** "An I/P and the B-frames that follow it carry times a millisecond or so apart." */
    public static final long BURST_STEP_MS = 1;

    private RecorderStamps() {
    }

    /**
     * The picture times of {@code loops} loops of a clip whose pictures have {@code displayOrder} (display position
     * of each, decode order), from {@code t0}, at {@code intervalMs}, on a recorder clock running {@code driftPpm}
     * fast (negative: slow) against the camera's.
     */
    public static long[] bursty(int[] displayOrder, long t0, double intervalMs, int loops, double driftPpm) {
        int n = displayOrder.length;
        long[] stamps = new long[n * loops];
        double rate = 1 + driftPpm / 1e6;
        for (int loop = 0; loop < loops; loop++) {
            int highest = -1;
            int since = 0;
            for (int i = 0; i < n; i++) {
                if (displayOrder[i] > highest) {
                    highest = displayOrder[i];
                    since = 0;
                } else {
                    since++;
                }
                double captured = ((long) loop * n + highest) * intervalMs * rate;
                stamps[loop * n + i] = t0 + Math.round(captured) + since * BURST_STEP_MS;
            }
        }
        return stamps;
    }
}
