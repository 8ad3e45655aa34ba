package io.camrelay.simulator;

/**
 * PLACEHOLDER so the façade compiles on the xprotect branch; the imageserver branch owns the real enum (keep theirs
 * on merge).
 */
public enum Fault {
    /** Close the camera's ImageServer sessions. */
    DROP
}
