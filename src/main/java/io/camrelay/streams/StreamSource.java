package io.camrelay.streams;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a stream definition comes from (the {@code source} field of the status contract, docs/design.md §6). */
public enum StreamSource {
    /** The local streams file, {@code camrelay.streams.file}. */
    FILE,
    /** An RTMP Streamer plugin item stored in XProtect (docs/design.md §5). */
    XPROTECT;

    /** The JSON and display form: {@code file} or {@code xprotect}. */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
