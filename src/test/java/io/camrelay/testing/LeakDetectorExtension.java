package io.camrelay.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reports a ByteBuf that was garbage-collected without being released.
 * Registered for every test by auto-detection (src/test/resources/META-INF/services); the build sets the detector
 * to PARANOID, so every buffer is tracked.
 */
public final class LeakDetectorExtension implements AfterAllCallback {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        // Must run before Netty's buffer classes create their detectors; auto-detected extensions load first.
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        List<String> found = collectLeaks();
        if (!found.isEmpty()) {
            throw new AssertionError("Netty ByteBuf leak(s) detected after " + context.getDisplayName() + ":\n"
                    + String.join("\n---\n", found));
        }
    }

    /** Forces collection and lets the detector poll its queue; returns and clears what it reported. */
    public static List<String> collectLeaks() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(20);
            // Leaks are reported when new buffers are tracked: allocate a few through every allocator in use.
            for (ByteBufAllocator alloc : List.of(ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT,
                    UnpooledByteBufAllocator.DEFAULT)) {
                for (int i = 0; i < 4; i++) {
                    ByteBuf probe = alloc.directBuffer(8);
                    probe.release();
                    probe = alloc.heapBuffer(8);
                    probe.release();
                }
            }
        }
        List<String> found = new ArrayList<>(LEAKS);
        LEAKS.clear();
        return found;
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<?> resourceType, int samplingInterval) {
            super(resourceType, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType + " (no records)");
        }
    }
}
