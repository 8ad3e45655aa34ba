package io.camrelay.streams;

import io.camrelay.support.Secrets;
import java.util.Objects;

/**
 * A stream that is defined but cannot run as defined: its status is ERROR with {@code reason}, which says what is
 * wrong and how to fix it, with any key masked.
 *
 * @param id     the stream id
 * @param name   display name (the id when none is known)
 * @param camera the camera as written, or {@code null}
 * @param source where the definition comes from
 * @param reason what is wrong, where, and the fix
 */
public record StreamProblem(String id, String name, String camera, StreamSource source, String reason) {

    public StreamProblem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        name = name == null || name.isBlank() ? id : name;
        reason = Secrets.maskUrlsIn(reason);
    }
}
