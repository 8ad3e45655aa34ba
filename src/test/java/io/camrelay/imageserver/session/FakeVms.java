package io.camrelay.imageserver.session;

import io.camrelay.vms.RecorderAddress;
import io.camrelay.vms.VmsAccess;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A VMS session for unit tests: one recorder, tokens {@code token-1}, {@code token-2}, ... renewed by hand. */
final class FakeVms implements VmsAccess {

    final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    final List<String> rejected = new CopyOnWriteArrayList<>();
    /** Cameras whose recorder could not be reached, as reported by {@link #recorderFailed}. */
    final List<String> failedRecorders = new CopyOnWriteArrayList<>();
    private final RecorderAddress recorder;
    private int issued = 1;
    private String token = "token-1";
    /** Thrown by {@link #recorderFor} when set. */
    RuntimeException lookUpFailure;

    FakeVms(RecorderAddress recorder) {
        this.recorder = recorder;
    }

    /** Issues the next token and tells the listeners, as a renewal does. */
    String renew() {
        token = "token-" + ++issued;
        for (Consumer<String> listener : listeners) {
            listener.accept(token);
        }
        return token;
    }

    @Override
    public String vmsToken() {
        return token;
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
        if (lookUpFailure != null) {
            throw lookUpFailure;
        }
        return recorder;
    }

    @Override
    public void recorderFailed(String cameraId) {
        failedRecorders.add(cameraId);
    }

    /** Logs in again: the next {@link #vmsToken()} is a new one (no listener is told, as after a re-login). */
    @Override
    public void tokenRejected(String rejectedToken) {
        rejected.add(rejectedToken);
        token = "token-" + ++issued;
    }
}
