package io.camrelay.imageserver.session;

import org.slf4j.MDC;

/** Puts the camera id in the MDC (style rule 12) around event-loop work that may log; the per-picture path skips it. */
final class CameraMdc {

    static final String KEY = "cameraId";

    private CameraMdc() {
    }

    /** Runs {@code task} with {@code cameraId} in the MDC, restoring what was there before. */
    static void run(String cameraId, Runnable task) {
        String previous = MDC.get(KEY);
        MDC.put(KEY, cameraId);
        try {
            task.run();
        } finally {
            if (previous == null) {
                MDC.remove(KEY);
            } else {
                MDC.put(KEY, previous);
            }
        }
    }
}
