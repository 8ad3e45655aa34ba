package io.camrelay.imageserver;

import io.camrelay.vms.RecorderAddress;
import io.camrelay.vms.UnknownCameraException;
import io.camrelay.vms.VmsAccess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A test-only VMS session: hands out tokens with a time to live (which the simulated ImageServer checks through
 * {@link #valid}), renews them on demand or on a schedule and tells listeners, as the real VmsSession does.
 */
final class TestVms implements VmsAccess, AutoCloseable {

    private final RecorderAddress recorder;
    private final long ttlNanos;
    private final Map<String, Long> deadlines = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor();
    final List<String> rejected = new CopyOnWriteArrayList<>();
    final List<String> unknownCameras = new CopyOnWriteArrayList<>();
    private volatile String current;

    TestVms(RecorderAddress recorder, Duration ttl) {
        this.recorder = recorder;
        this.ttlNanos = ttl.toNanos();
    }

    /** Renews the token every {@code period}, like a VMS session renewing before expiry. */
    void renewEvery(Duration period) {
        renewer.scheduleAtFixedRate(this::renew, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized String renew() {
        current = issue();
        for (Consumer<String> listener : listeners) {
            listener.accept(current);
        }
        return current;
    }

    boolean valid(String token) {
        Long deadline = deadlines.get(token);
        return deadline != null && System.nanoTime() - deadline < 0;
    }

    int issuedTokens() {
        return issued.get();
    }

    private String issue() {
        String token = "TOKEN#" + issued.incrementAndGet() + "-secret#127.0.0.1//ServerConnector#";
        deadlines.put(token, System.nanoTime() + ttlNanos);
        return token;
    }

    @Override
    public synchronized String vmsToken() {
        if (current == null || !valid(current)) {
            current = issue();
        }
        return current;
    }

    @Override
    public void addTokenListener(Consumer<String> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeTokenListener(Consumer<String> listener) {
        listeners.remove(listener);
    }

    @Override
    public RecorderAddress recorderFor(String cameraId) {
        if (unknownCameras.contains(cameraId)) {
            throw new UnknownCameraException(cameraId, null);
        }
        return recorder;
    }

    @Override
    public synchronized void tokenRejected(String rejectedToken) {
        rejected.add(rejectedToken);
        deadlines.remove(rejectedToken);
        if (rejectedToken.equals(current)) {
            current = null;
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
    }
}
