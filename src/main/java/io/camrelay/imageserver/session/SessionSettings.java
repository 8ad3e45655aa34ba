package io.camrelay.imageserver.session;

import io.camrelay.imageserver.codec.ImageServerLimits;
import java.util.Objects;

/**
 * Fixed settings of one camera's live session.
 *
 * @param cameraId              the camera GUID
 * @param streamId              the stream reference id, or null for the default live stream
 * @param connectTimeoutMs      TCP (and TLS) connect timeout
 * @param noDataTimeoutMs       reconnect when no picture arrived for this long (docs/protocols.md §1.1: 10 s read timeout)
 * @param reconnectInitialMs    first reconnect delay
 * @param reconnectMaxMs        longest reconnect delay, also the delay after a problem only the operator can fix
 * @param limits                wire limits
 * @param trustAllCertificates  accept any recorder certificate on TLS
 */
public record SessionSettings(String cameraId, String streamId, long connectTimeoutMs, long noDataTimeoutMs,
        long reconnectInitialMs, long reconnectMaxMs, ImageServerLimits limits, boolean trustAllCertificates) {

    public SessionSettings {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(limits, "limits");
        positive("connectTimeout", connectTimeoutMs);
        positive("noDataTimeout", noDataTimeoutMs);
        positive("reconnectInitialDelay", reconnectInitialMs);
        if (reconnectMaxMs < reconnectInitialMs) {
            throw new IllegalArgumentException("reconnectMaxDelay " + reconnectMaxMs
                    + " ms is below reconnectInitialDelay " + reconnectInitialMs + " ms (expected max >= initial)");
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " ms (expected: > 0)");
        }
    }
}
