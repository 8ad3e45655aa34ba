package io.camrelay.streams;

import java.util.Locale;

/** What the destinations get while the camera side is lost (the streams file's {@code hold.mode}, docs/design.md §7a). */
public enum HoldMode {
    /** The stream's last key frame repeated, with silence: nothing is encoded, the picture matches the SPS/PPS. */
    FREEZE,
    /** The operator's H.264 slate ({@code hold.slate}) in a loop, with silence. */
    SLATE,
    /** No hold: the destinations go quiet while the camera reconnects and unpublish when its route stops. */
    OFF;

    /** The name as written in the streams file. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
